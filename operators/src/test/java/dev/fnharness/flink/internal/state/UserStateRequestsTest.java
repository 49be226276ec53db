package dev.fnharness.flink.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.internal.bundles.OutputBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateKey;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** State requests against real Flink heap keyed state, and the thread rule under concurrency. */
public class UserStateRequestsTest {

  private static final int CHUNK = 8;

  private final StateKeyCodec keys = new StateKeyCodec(ColumnType.BIGINT);
  private StateHost host;
  private KeyedOneInputStreamOperatorTestHarness<Long, Row, Row> harness;
  private UserStateRequests requests;

  @BeforeEach
  void open() throws Exception {
    host = new StateHost();
    harness = StateHost.open(host, null);
    requests =
        new UserStateRequests(
            Thread.currentThread(), host.access(), keys, null, CHUNK, "Python function 't:f'");
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private StateKey bag(String id, long key) {
    return StateKey.newBuilder()
        .setBagUserState(
            StateKey.BagUserState.newBuilder()
                .setTransformId("fn")
                .setUserStateId(id)
                .setKey(keys.encode(key)))
        .build();
  }

  private StateKey entry(String id, long key, String mapKey) {
    return StateKey.newBuilder()
        .setMultimapUserState(
            StateKey.MultimapUserState.newBuilder()
                .setTransformId("fn")
                .setUserStateId(id)
                .setKey(keys.encode(key))
                .setMapKey(ByteString.copyFromUtf8(mapKey)))
        .build();
  }

  private static StateRequest append(StateKey key, String data) {
    StateRequest.Builder request = StateRequest.newBuilder().setId("a").setStateKey(key);
    request.getAppendBuilder().setData(ByteString.copyFromUtf8(data));
    return request.build();
  }

  private static StateRequest clear(StateKey key) {
    StateRequest.Builder request = StateRequest.newBuilder().setId("c").setStateKey(key);
    request.getClearBuilder();
    return request.build();
  }

  private static StateRequest get(StateKey key, ByteString token) {
    StateRequest.Builder request = StateRequest.newBuilder().setId("g").setStateKey(key);
    request.getGetBuilder().setContinuationToken(token);
    return request.build();
  }

  /** The whole answer to a get, following continuation tokens; also counts the pages. */
  private String getAll(StateKey key, List<Integer> pageSizes) {
    StringBuilder all = new StringBuilder();
    ByteString token = ByteString.EMPTY;
    do {
      StateResponse response = requests.handle(get(key, token));
      assertThat(response.getError()).isEmpty();
      all.append(response.getGet().getData().toStringUtf8());
      pageSizes.add(response.getGet().getData().size());
      token = response.getGet().getContinuationToken();
    } while (!token.isEmpty());
    return all.toString();
  }

  @Test
  void aBagIsTheConcatenationOfItsAppendsPerKeyAndLargeAnswersArriveInPages() {
    requests.handle(append(bag("list:h", 1), "abcdef"));
    requests.handle(append(bag("list:h", 2), "xy"));
    requests.handle(append(bag("list:h", 1), "ghijkl"));

    List<Integer> pages = new ArrayList<>();
    assertThat(getAll(bag("list:h", 1), pages)).isEqualTo("abcdefghijkl");
    assertThat(pages).containsExactly(8, 4);
    assertThat(getAll(bag("list:h", 2), new ArrayList<>())).isEqualTo("xy");

    requests.handle(clear(bag("list:h", 1)));
    assertThat(getAll(bag("list:h", 1), new ArrayList<>())).isEmpty();
    assertThat(getAll(bag("list:h", 2), new ArrayList<>())).isEqualTo("xy");
  }

  @Test
  void continuationTokensDoNotOutliveTheBundle() {
    requests.handle(append(bag("value:v", 1), "0123456789"));
    ByteString token =
        requests.handle(get(bag("value:v", 1), ByteString.EMPTY)).getGet().getContinuationToken();
    requests.bundleEnded();

    assertThat(requests.handle(get(bag("value:v", 1), token)).getError())
        .contains("Python function 't:f'")
        .contains("unknown or expired continuation token");
  }

  @Test
  void mapEntriesArePutReadAndRemovedOneByOne() {
    requests.handle(append(entry("map:m", 1, "a"), "1"));
    requests.handle(append(entry("map:m", 1, "b"), "2"));
    requests.handle(append(entry("map:m", 2, "a"), "3"));
    requests.handle(clear(entry("map:m", 1, "a")));

    assertThat(getAll(entry("map:m", 1, "a"), new ArrayList<>())).isEmpty();
    assertThat(getAll(entry("map:m", 1, "b"), new ArrayList<>())).isEqualTo("2");
    StateKey entries =
        StateKey.newBuilder()
            .setMultimapEntriesUserState(
                StateKey.MultimapEntriesUserState.newBuilder()
                    .setUserStateId("map:m")
                    .setKey(keys.encode(2L)))
            .build();
    // varint length, key, varint length, value
    assertThat(getAll(entries, new ArrayList<>())).isEqualTo("\u0001a\u00013");
  }

  @Test
  void aBadKeyIsAnErrorAnswerNamingTheFunction() {
    StateKey badKey =
        StateKey.newBuilder()
            .setBagUserState(
                StateKey.BagUserState.newBuilder()
                    .setUserStateId("value:v")
                    .setKey(ByteString.copyFromUtf8("abc")))
            .build();

    assertThat(requests.handle(get(badKey, ByteString.EMPTY)).getError())
        .contains("Python function 't:f'")
        .contains("a BIGINT state key is 8 bytes, got 3: 0x616263");
  }

  @Test
  void onlyTheOwningThreadMayServeState() throws Exception {
    CompletableFuture<Throwable> fromOtherThread = new CompletableFuture<>();
    Thread other =
        new Thread(
            () -> {
              try {
                requests.handle(get(bag("value:v", 1), ByteString.EMPTY));
                fromOtherThread.complete(null);
              } catch (Throwable t) {
                fromOtherThread.complete(t);
              }
            },
            "grpc-default-executor-7");
    other.start();

    assertThat(fromOtherThread.get(10, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("touched from thread 'grpc-default-executor-7'")
        .hasMessageContaining("only the task thread '" + Thread.currentThread().getName() + "'");
  }

  /**
   * The thread rule under concurrency: eight "gRPC threads" deliver appends at once through the
   * bundle's receiver; the task thread (this one) serves them all while it waits for the bundle,
   * and every key's bag holds exactly its thread's appends, in order.
   */
  @Test
  void requestsFromManyGrpcThreadsAreServedOnTheTaskThreadAlone() throws Exception {
    int threads = 8;
    int appendsPerThread = 300;
    ConcurrentLinkedQueue<String> servingThreads = new ConcurrentLinkedQueue<>();
    OutputBundle bundle =
        new OutputBundle(
            e -> new IllegalStateException(e),
            request -> {
              servingThreads.add(Thread.currentThread().getName());
              return requests.handle(request);
            },
            () -> {});
    AtomicInteger answered = new AtomicInteger();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long key = t;
      Thread sender =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < appendsPerThread; i++) {
                  bundle.onStateRequest(
                      append(bag("list:l", key), (char) ('a' + i % 26) + ""),
                      response -> {
                        if (!response.getError().isEmpty()) {
                          errors.add(response.getError());
                        }
                        if (answered.incrementAndGet() == threads * appendsPerThread) {
                          bundle.onCompleted(ProcessBundleResponse.getDefaultInstance());
                        }
                      });
                }
              },
              "grpc-sender-" + t);
      sender.start();
      senders.add(sender);
    }
    start.countDown();

    bundle.awaitEnd(chunk -> {});

    for (Thread sender : senders) {
      sender.join(10_000);
    }
    assertThat(errors).isEmpty();
    assertThat(servingThreads)
        .hasSize(threads * appendsPerThread)
        .containsOnly(Thread.currentThread().getName());
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < appendsPerThread; i++) {
      expected.append((char) ('a' + i % 26));
    }
    for (long key = 0; key < threads; key++) {
      assertThat(getAll(bag("list:l", key), new ArrayList<>()))
          .as("key %s", key)
          .isEqualTo(expected.toString());
    }
  }
}
