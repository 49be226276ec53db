package dev.fnharness.flink.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.proto.BagReads;
import dev.fnharness.proto.BagWrites;
import dev.fnharness.proto.MapReads;
import dev.fnharness.proto.MapWrites;
import dev.fnharness.proto.RunnerStateKey;
import dev.fnharness.proto.StateBatchReads;
import dev.fnharness.proto.StateBatchResults;
import dev.fnharness.proto.StateBatchWrites;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateKey;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The columnar batched state requests (StateBatches) through {@link UserStateRequests#handle},
 * against real Flink keyed state of both backends, and mixed with single Beam requests: both forms
 * must store and answer the same bytes.
 */
public class StateBatchesTest {

  private static final int CHUNK = 16;

  private final StateKeyCodec keys = new StateKeyCodec(ColumnType.BIGINT);
  private StateHost host;
  private KeyedOneInputStreamOperatorTestHarness<Long, Row, Row> harness;
  private UserStateRequests requests;

  private void open(String backend) throws Exception {
    host = new StateHost();
    harness =
        StateHost.open(host, backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : null);
    requests =
        new UserStateRequests(
            Thread.currentThread(), host.access(), keys, null, CHUNK, "Python function 't:f'");
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private ByteString key(long key) {
    return keys.encode(key);
  }

  private static ByteString bytes(String text) {
    return ByteString.copyFromUtf8(text);
  }

  private StateResponse write(StateBatchWrites writes) {
    StateRequest.Builder request = StateRequest.newBuilder().setId("w");
    request
        .getStateKeyBuilder()
        .getRunnerBuilder()
        .setKey(RunnerStateKey.newBuilder().setWrites(true).build().toByteString());
    request.getAppendBuilder().setData(writes.toByteString());
    return requests.handle(request.build());
  }

  /** The whole answer to a batched read, following continuation tokens; counts the pages. */
  private StateBatchResults read(StateBatchReads reads, List<Integer> pages)
      throws InvalidProtocolBufferException {
    StateRequest.Builder request = StateRequest.newBuilder().setId("r");
    request
        .getStateKeyBuilder()
        .getRunnerBuilder()
        .setKey(RunnerStateKey.newBuilder().setReads(reads).build().toByteString());
    ByteString all = ByteString.EMPTY;
    ByteString token = ByteString.EMPTY;
    do {
      request.getGetBuilder().setContinuationToken(token);
      StateResponse page = requests.handle(request.build());
      assertThat(page.getError()).isEmpty();
      all = all.concat(page.getGet().getData());
      pages.add(page.getGet().getData().size());
      token = page.getGet().getContinuationToken();
    } while (!token.isEmpty());
    return StateBatchResults.parseFrom(all);
  }

  private String singleGet(StateKey key) {
    StateRequest.Builder request = StateRequest.newBuilder().setId("g").setStateKey(key);
    StringBuilder all = new StringBuilder();
    ByteString token = ByteString.EMPTY;
    do {
      request.getGetBuilder().setContinuationToken(token);
      StateResponse page = requests.handle(request.build());
      assertThat(page.getError()).isEmpty();
      all.append(page.getGet().getData().toStringUtf8());
      token = page.getGet().getContinuationToken();
    } while (!token.isEmpty());
    return all.toString();
  }

  private StateKey bag(String id, long key) {
    return StateKey.newBuilder()
        .setBagUserState(
            StateKey.BagUserState.newBuilder()
                .setTransformId("fn")
                .setUserStateId(id)
                .setKey(key(key)))
        .build();
  }

  private StateKey entry(String id, long key, String mapKey) {
    return StateKey.newBuilder()
        .setMultimapUserState(
            StateKey.MultimapUserState.newBuilder()
                .setTransformId("fn")
                .setUserStateId(id)
                .setKey(key(key))
                .setMapKey(bytes(mapKey)))
        .build();
  }

  private StateRequest singleAppend(StateKey key, String data) {
    StateRequest.Builder request = StateRequest.newBuilder().setId("a").setStateKey(key);
    request.getAppendBuilder().setData(bytes(data));
    return request.build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void bagWritesClearAppendOrReplaceAndReadsAnswerEveryKeyInOrder(String backend) throws Exception {
    open(backend);
    requests.handle(singleAppend(bag("list:l", 1), "old"));
    requests.handle(singleAppend(bag("list:l", 2), "kept"));
    requests.handle(singleAppend(bag("list:l", 3), "gone"));
    StateResponse written =
        write(
            StateBatchWrites.newBuilder()
                .addBags(
                    BagWrites.newBuilder()
                        .setUserStateId("list:l")
                        .addAllKeys(List.of(key(1), key(2), key(3)))
                        .addAllClear(List.of(true, false, true))
                        .addAllAppends(List.of(bytes("new"), bytes("+more"), ByteString.EMPTY)))
                .addBags(
                    BagWrites.newBuilder()
                        .setUserStateId("value:v")
                        .addKeys(key(1))
                        .addClear(true)
                        .addAppends(bytes("0123456789abcdefghij")))
                .build());
    assertThat(written.getError()).isEmpty();

    // The single form reads what the batch wrote: the two forms share the storage.
    assertThat(singleGet(bag("list:l", 1))).isEqualTo("new");
    assertThat(singleGet(bag("list:l", 2))).isEqualTo("kept+more");
    assertThat(singleGet(bag("list:l", 3))).isEmpty();

    List<Integer> pages = new ArrayList<>();
    StateBatchResults results =
        read(
            StateBatchReads.newBuilder()
                .addBags(
                    BagReads.newBuilder()
                        .setUserStateId("list:l")
                        .addAllKeys(List.of(key(2), key(9), key(1), key(3))))
                .addBags(BagReads.newBuilder().setUserStateId("value:v").addKeys(key(1)))
                .build(),
            pages);
    assertThat(results.getBagsList())
        .map(ByteString::toStringUtf8)
        .containsExactly("kept+more", "", "new", "", "0123456789abcdefghij");
    assertThat(pages).as("a %s-byte chunk pages the answer", CHUNK).hasSizeGreaterThan(1);
    assertThat(results.getMapEntryCountsList()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void mapWritesPutRemoveAndClearAndReadsAnswerSmallMapsWhole(String backend) throws Exception {
    open(backend);
    requests.handle(singleAppend(entry("map:m", 1, "stale"), "s"));
    requests.handle(singleAppend(entry("map:m", 2, "x"), "1"));
    requests.handle(singleAppend(entry("map:m", 2, "y"), "2"));
    StateResponse written =
        write(
            StateBatchWrites.newBuilder()
                .addMaps(
                    MapWrites.newBuilder()
                        .setUserStateId("map:m")
                        .addAllKeys(List.of(key(1), key(2), key(3)))
                        .addAllClear(List.of(true, false, false))
                        .addAllEntryCounts(List.of(1, 2, 3))
                        .addAllMapKeys(
                            List.of(
                                bytes("a"),
                                bytes("x"),
                                bytes("y"),
                                bytes("p"),
                                bytes("q"),
                                bytes("r")))
                        .addAllValues(
                            List.of(
                                bytes("A"),
                                bytes("X"),
                                ByteString.EMPTY,
                                bytes("P"),
                                bytes("Q"),
                                bytes("R"))))
                .build());
    assertThat(written.getError()).isEmpty();

    assertThat(singleGet(entry("map:m", 1, "stale"))).isEmpty();
    assertThat(singleGet(entry("map:m", 1, "a"))).isEqualTo("A");
    assertThat(singleGet(entry("map:m", 2, "x"))).isEqualTo("X");
    assertThat(singleGet(entry("map:m", 2, "y"))).isEmpty();

    StateBatchResults results =
        read(
            StateBatchReads.newBuilder()
                .addMaps(
                    MapReads.newBuilder()
                        .setUserStateId("map:m")
                        .setMaxEntries(2)
                        .addAllKeys(List.of(key(2), key(3), key(4), key(1))))
                .build(),
            new ArrayList<>());
    // Key 3 has three entries, more than max_entries: marked, none sent.
    assertThat(results.getMapEntryCountsList()).containsExactly(1, 0, 0, 1);
    assertThat(results.getMapTooLargeList()).containsExactly(false, true, false, false);
    assertThat(results.getMapKeysList()).map(ByteString::toStringUtf8).containsExactly("x", "a");
    assertThat(results.getMapValuesList()).map(ByteString::toStringUtf8).containsExactly("X", "A");
  }

  @Test
  void aBatchLeavesTheOperatorsCurrentKeyAsItWas() throws Exception {
    open("hashmap");
    host.setCurrentKey(42L);
    write(
        StateBatchWrites.newBuilder()
            .addBags(
                BagWrites.newBuilder()
                    .setUserStateId("value:v")
                    .addKeys(key(7))
                    .addClear(true)
                    .addAppends(bytes("7")))
            .build());
    read(
        StateBatchReads.newBuilder()
            .addBags(BagReads.newBuilder().setUserStateId("value:v").addKeys(key(7)))
            .build(),
        new ArrayList<>());
    assertThat(host.getCurrentKey()).isEqualTo(42L);
  }

  @Test
  void columnsOfDifferentLengthsAreRefusedNamingTheState() throws Exception {
    open("hashmap");
    StateResponse bagAnswer =
        write(
            StateBatchWrites.newBuilder()
                .addBags(
                    BagWrites.newBuilder()
                        .setUserStateId("value:v")
                        .addKeys(key(1))
                        .addKeys(key(2))
                        .addClear(true)
                        .addAppends(bytes("1")))
                .build());
    assertThat(bagAnswer.getError())
        .contains("Python function 't:f'")
        .contains(
            "malformed batched bag write of state 'value:v': 2 keys, 1 clear flags and 1 appends");

    StateResponse mapAnswer =
        write(
            StateBatchWrites.newBuilder()
                .addMaps(
                    MapWrites.newBuilder()
                        .setUserStateId("map:m")
                        .addKeys(key(1))
                        .addClear(false)
                        .addEntryCounts(3)
                        .addMapKeys(bytes("a"))
                        .addValues(bytes("A")))
                .build());
    assertThat(mapAnswer.getError())
        .contains(
            "malformed batched map write of state 'map:m': entry counts beyond the 1 map keys");
  }

  @Test
  void aBadKeyInABatchIsAnErrorAnswerNamingTheFunction() throws Exception {
    open("hashmap");
    StateResponse answer =
        write(
            StateBatchWrites.newBuilder()
                .addBags(
                    BagWrites.newBuilder()
                        .setUserStateId("value:v")
                        .addKeys(bytes("abc"))
                        .addClear(true)
                        .addAppends(bytes("1")))
                .build());
    assertThat(answer.getError())
        .contains("Python function 't:f'")
        .contains("a BIGINT state key is 8 bytes, got 3: 0x616263");
  }

  @Test
  void theFormerPerKeyBatchFormIsRefusedNotIgnored() throws Exception {
    open("hashmap");
    // Field 2 (varint 1) was `writes` of the per-key form: this runner must not drop such writes
    // silently.
    StateRequest.Builder request = StateRequest.newBuilder().setId("old");
    request
        .getStateKeyBuilder()
        .getRunnerBuilder()
        .setKey(ByteString.copyFrom(new byte[] {0x10, 0x01}));
    request.getAppendBuilder().setData(bytes("anything"));

    assertThat(requests.handle(request.build()).getError())
        .contains("Python function 't:f'")
        .contains("a batched state request is a get of reads or an append of writes")
        .contains("another fnharness version");
  }
}
