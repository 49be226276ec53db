package dev.fnharness.flink.internal.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fnharness.proto.RunnerStateKey;
import dev.fnharness.proto.StateBatchWrites;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateKey;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;

/**
 * Serves the worker's user-state requests ({@code get}, {@code append}, {@code clear}) from Flink
 * keyed state, for the key each request names.
 *
 * <p><b>The thread rule.</b> Flink keyed state is not thread-safe, and the current key is one field
 * shared by the whole operator. So exactly one thread, the task thread that opened the operator,
 * ever calls {@link #handle}: gRPC threads only queue requests ({@code OutputBundle}), and the task
 * thread serves them between rows, in a mailbox action when it is idle, and while it waits for a
 * bundle to end. {@link #handle} checks the rule and refuses any other thread.
 *
 * <p>A {@code runner} state key holds a batch of reads or writes ({@code
 * fnharness.v1.RunnerStateKey}), which {@link StateBatches} serves: the worker reads a batch's keys
 * and writes a bundle back in one request each. Single requests name a {@code bag_user_state} or
 * {@code multimap_*_user_state}; {@link UserStates} has how each is stored. Windows are not used;
 * the transform id is the operator's one transform.
 */
@Internal
public final class UserStateRequests {

  /** The operator's keyed-state seam: its current key and its partitioned state. */
  public interface KeyedStateAccess {
    Object currentKey();

    void setCurrentKey(Object key);

    <S extends State> S state(StateDescriptor<S, ?> descriptor) throws Exception;
  }

  /** Largest {@code get} answer; the rest follows under a continuation token. */
  public static final int DEFAULT_CHUNK_BYTES = 1 << 20;

  private final Thread owner;
  private final UserStates states;
  private final StateBatches batches;
  private final int chunkBytes;
  private final String function;

  /** Unsent rest of large {@code get} answers, by continuation token; dropped at bundle end. */
  private final Map<String, ByteString> continuations = new HashMap<>();

  private long nextToken;

  /**
   * @param owner the only thread that may call {@link #handle}
   * @param ttl null when state does not expire
   * @param function names the Python function in errors
   */
  public UserStateRequests(
      Thread owner,
      KeyedStateAccess access,
      StateKeyCodec keys,
      Duration ttl,
      int chunkBytes,
      String function) {
    this.owner = owner;
    this.states = new UserStates(access, keys, ttl, function);
    this.batches = new StateBatches(states);
    this.chunkBytes = chunkBytes;
    this.function = function;
  }

  /** Answers one request; errors become {@code StateResponse.error}, naming state and key. */
  public StateResponse handle(StateRequest request) {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException(
          "Flink keyed state of "
              + function
              + " touched from thread '"
              + Thread.currentThread().getName()
              + "'; only the task thread '"
              + owner.getName()
              + "' may serve state requests");
    }
    StateResponse.Builder response = StateResponse.newBuilder().setId(request.getId());
    if (request.hasGet() && !request.getGet().getContinuationToken().isEmpty()) {
      return continueGet(request, response);
    }
    try {
      if (request.getStateKey().hasRunner()) {
        serveBatch(request, response);
      } else {
        serveOne(request, response);
      }
    } catch (StateRequestException e) {
      return response.clearResponse().setError(e.getMessage()).build();
    }
    if (response.hasGet()) {
      answerGet(response.getGet().getData(), response);
    }
    return response.build();
  }

  /** A batch of reads or writes (fnharness.v1.RunnerStateKey): one round trip for many keys. */
  private void serveBatch(StateRequest request, StateResponse.Builder response) {
    RunnerStateKey batch;
    StateBatchWrites writes = null;
    try {
      batch = RunnerStateKey.parseFrom(request.getStateKey().getRunner().getKey());
      if (batch.getWrites()) {
        writes = StateBatchWrites.parseFrom(request.getAppend().getData());
      }
    } catch (InvalidProtocolBufferException e) {
      throw new StateRequestException(
          function + ": malformed batched state request: " + e.getMessage());
    }
    if (batch.hasReads() && request.hasGet()) {
      response.getGetBuilder().setData(batches.read(batch.getReads()));
    } else if (writes != null && request.hasAppend()) {
      batches.write(writes);
      response.getAppendBuilder();
    } else {
      throw new StateRequestException(
          function
              + ": a batched state request is a get of reads or an append of writes (fields 3 and 4"
              + " of fnharness.v1.RunnerStateKey; a worker of another fnharness version may send"
              + " others)");
    }
  }

  /** Serves one request for the key it names; get data is whole here, paged by the caller. */
  private void serveOne(StateRequest request, StateResponse.Builder response) {
    StateKey stateKey = request.getStateKey();
    Object key = states.key(keyBytes(stateKey));
    Object previousKey = states.currentKey();
    states.setCurrentKey(key);
    try {
      serve(request, stateKey, response);
    } catch (StateRequestException e) {
      throw e;
    } catch (Exception e) {
      throw new StateRequestException(
          function
              + ": "
              + request.getRequestCase().name().toLowerCase()
              + " of state '"
              + stateId(stateKey)
              + "' for key "
              + key
              + " failed: "
              + e);
    } finally {
      states.restoreKey(previousKey);
    }
  }

  /** Forgets the unread rest of large answers: tokens live for one bundle. */
  public void bundleEnded() {
    continuations.clear();
  }

  private void serve(StateRequest request, StateKey stateKey, StateResponse.Builder response)
      throws Exception {
    switch (stateKey.getTypeCase()) {
      case BAG_USER_STATE ->
          serveBag(request, states.bag(stateKey.getBagUserState().getUserStateId()), response);
      case MULTIMAP_USER_STATE -> {
        StateKey.MultimapUserState entry = stateKey.getMultimapUserState();
        serveMapEntry(
            request,
            states.map(entry.getUserStateId()),
            UserStates.mapKey(entry.getMapKey()),
            response);
      }
      case MULTIMAP_KEYS_USER_STATE -> {
        MapState<String, byte[]> map =
            states.map(stateKey.getMultimapKeysUserState().getUserStateId());
        serveWholeMap(request, map, false, response);
      }
      case MULTIMAP_ENTRIES_USER_STATE -> {
        MapState<String, byte[]> map =
            states.map(stateKey.getMultimapEntriesUserState().getUserStateId());
        serveWholeMap(request, map, true, response);
      }
      default ->
          throw new UnsupportedOperationException(
              "state key type " + stateKey.getTypeCase() + " is not supported");
    }
  }

  private void serveBag(StateRequest request, ListState<byte[]> bag, StateResponse.Builder response)
      throws Exception {
    switch (request.getRequestCase()) {
      case GET -> {
        ByteString.Output all = ByteString.newOutput();
        Iterable<byte[]> entries = bag.get();
        if (entries != null) {
          for (byte[] entry : entries) {
            all.write(entry);
          }
        }
        response.getGetBuilder().setData(all.toByteString());
      }
      case APPEND -> {
        if (!request.getAppend().getData().isEmpty()) {
          bag.add(request.getAppend().getData().toByteArray());
        }
        response.getAppendBuilder();
      }
      case CLEAR -> {
        bag.clear();
        response.getClearBuilder();
      }
      default -> throw new UnsupportedOperationException("request " + request.getRequestCase());
    }
  }

  private void serveMapEntry(
      StateRequest request,
      MapState<String, byte[]> map,
      String mapKey,
      StateResponse.Builder response)
      throws Exception {
    switch (request.getRequestCase()) {
      case GET -> {
        byte[] value = map.get(mapKey);
        response
            .getGetBuilder()
            .setData(value == null ? ByteString.EMPTY : ByteString.copyFrom(value));
      }
      case APPEND -> {
        byte[] existing = map.get(mapKey);
        ByteString data = request.getAppend().getData();
        map.put(
            mapKey,
            existing == null
                ? data.toByteArray()
                : ByteString.copyFrom(existing).concat(data).toByteArray());
        response.getAppendBuilder();
      }
      case CLEAR -> {
        map.remove(mapKey);
        response.getClearBuilder();
      }
      default -> throw new UnsupportedOperationException("request " + request.getRequestCase());
    }
  }

  /** Keys (each length-prefixed) or entries (length-prefixed key, length-prefixed values). */
  private void serveWholeMap(
      StateRequest request,
      MapState<String, byte[]> map,
      boolean withValues,
      StateResponse.Builder response)
      throws Exception {
    switch (request.getRequestCase()) {
      case GET -> {
        ByteString.Output out = ByteString.newOutput();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        Iterable<Map.Entry<String, byte[]>> entries = map.entries();
        if (entries != null) {
          for (Map.Entry<String, byte[]> entry : entries) {
            writeDelimited(coded, UserStates.mapKeyBytes(entry.getKey()));
            if (withValues) {
              writeDelimited(coded, entry.getValue());
            }
          }
        }
        coded.flush();
        response.getGetBuilder().setData(out.toByteString());
      }
      case CLEAR -> {
        map.clear();
        response.getClearBuilder();
      }
      default ->
          throw new UnsupportedOperationException(
              "request " + request.getRequestCase() + " on a whole map (only get and clear)");
    }
  }

  private static void writeDelimited(CodedOutputStream out, byte[] bytes) throws IOException {
    out.writeUInt32NoTag(bytes.length);
    out.writeRawBytes(bytes);
  }

  private void answerGet(ByteString data, StateResponse.Builder response) {
    if (data.size() <= chunkBytes) {
      response.getGetBuilder().setData(data);
      return;
    }
    String token = Long.toString(++nextToken);
    continuations.put(token, data.substring(chunkBytes));
    response
        .getGetBuilder()
        .setData(data.substring(0, chunkBytes))
        .setContinuationToken(ByteString.copyFromUtf8(token));
  }

  private StateResponse continueGet(StateRequest request, StateResponse.Builder response) {
    String token = request.getGet().getContinuationToken().toStringUtf8();
    ByteString rest = continuations.remove(token);
    if (rest == null) {
      return response
          .setError(function + ": unknown or expired continuation token '" + token + "'")
          .build();
    }
    answerGet(rest, response);
    return response.build();
  }

  private static ByteString keyBytes(StateKey stateKey) {
    return switch (stateKey.getTypeCase()) {
      case BAG_USER_STATE -> stateKey.getBagUserState().getKey();
      case MULTIMAP_USER_STATE -> stateKey.getMultimapUserState().getKey();
      case MULTIMAP_KEYS_USER_STATE -> stateKey.getMultimapKeysUserState().getKey();
      case MULTIMAP_ENTRIES_USER_STATE -> stateKey.getMultimapEntriesUserState().getKey();
      default ->
          throw new IllegalArgumentException(
              "state key type " + stateKey.getTypeCase() + " is not supported");
    };
  }

  private static String stateId(StateKey stateKey) {
    return switch (stateKey.getTypeCase()) {
      case BAG_USER_STATE -> stateKey.getBagUserState().getUserStateId();
      case MULTIMAP_USER_STATE -> stateKey.getMultimapUserState().getUserStateId();
      case MULTIMAP_KEYS_USER_STATE -> stateKey.getMultimapKeysUserState().getUserStateId();
      case MULTIMAP_ENTRIES_USER_STATE -> stateKey.getMultimapEntriesUserState().getUserStateId();
      default -> "?";
    };
  }
}
