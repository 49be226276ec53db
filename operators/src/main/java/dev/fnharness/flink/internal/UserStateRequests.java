package dev.fnharness.flink.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fnharness.proto.RunnerStateKey;
import dev.fnharness.proto.StateReadResults;
import dev.fnharness.proto.StateWrites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateKey;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Serves the worker's user-state requests ({@code get}, {@code append}, {@code clear}) from Flink
 * keyed state, for the key each request names.
 *
 * <p><b>The thread rule.</b> Flink keyed state is not thread-safe, and the current key is one
 * field shared by the whole operator. So exactly one thread, the task thread that opened the
 * operator, ever calls {@link #handle}: gRPC threads only queue requests ({@code OutputBundle}),
 * and the task thread serves them between rows, in a mailbox action when it is idle, and while it
 * waits for a bundle to end. {@link #handle} checks the rule and refuses any other thread.
 *
 * <p>A {@code runner} state key holds a batch of reads or writes ({@code
 * fnharness.v1.RunnerStateKey}): the worker reads a batch's keys and writes a bundle back in one
 * request each.
 *
 * <p>Storage: a bag ({@code bag_user_state}) is a {@code ListState<byte[]>} with one entry per
 * append, read back as their concatenation. A multimap ({@code multimap_*_user_state}) is a
 * {@code MapState<String, byte[]>} whose keys are the map-key bytes read as ISO-8859-1, one char
 * per byte: heap state compares map keys with {@code equals}, which a {@code byte[]} lacks. The
 * Flink state is named by {@code user_state_id}. Windows are not used; the transform id is the
 * operator's one transform.
 */
final class UserStateRequests {

  /** The operator's keyed-state seam: its current key and its partitioned state. */
  interface KeyedStateAccess {
    Object currentKey();

    void setCurrentKey(Object key);

    <S extends State> S state(StateDescriptor<S, ?> descriptor) throws Exception;
  }

  /** Largest {@code get} answer; the rest follows under a continuation token. */
  static final int DEFAULT_CHUNK_BYTES = 1 << 20;

  private final Thread owner;
  private final KeyedStateAccess access;
  private final StateKeyCodec keys;
  private final StateTtlConfig ttl;
  private final int chunkBytes;
  private final String function;
  private final Map<String, State> states = new HashMap<>();
  /** Unsent rest of large {@code get} answers, by continuation token; dropped at bundle end. */
  private final Map<String, ByteString> continuations = new HashMap<>();
  private long nextToken;

  /**
   * @param owner the only thread that may call {@link #handle}
   * @param ttl null when state does not expire
   * @param function names the Python function in errors
   */
  UserStateRequests(
      Thread owner,
      KeyedStateAccess access,
      StateKeyCodec keys,
      Duration ttl,
      int chunkBytes,
      String function) {
    this.owner = owner;
    this.access = access;
    this.keys = keys;
    this.ttl =
        ttl == null
            ? null
            : StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().build();
    this.chunkBytes = chunkBytes;
    this.function = function;
  }

  /** Answers one request; errors become {@code StateResponse.error}, naming state and key. */
  StateResponse handle(StateRequest request) {
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
    StateWrites writes = null;
    try {
      batch = RunnerStateKey.parseFrom(request.getStateKey().getRunner().getKey());
      if (batch.getWrites()) {
        writes = StateWrites.parseFrom(request.getAppend().getData());
      }
    } catch (InvalidProtocolBufferException e) {
      throw new StateRequestException(function + ": malformed batched state request: " + e.getMessage());
    }
    if (batch.hasReads() && request.hasGet()) {
      StateReadResults.Builder results = StateReadResults.newBuilder();
      StateResponse.Builder one = StateResponse.newBuilder();
      for (StateKey key : batch.getReads().getKeysList()) {
        serveOne(StateRequest.newBuilder().setStateKey(key).setGet(request.getGet()).build(), one.clear());
        results.addData(one.getGet().getData());
      }
      response.getGetBuilder().setData(results.build().toByteString());
    } else if (writes != null && request.hasAppend()) {
      StateResponse.Builder one = StateResponse.newBuilder();
      for (StateRequest write : writes.getRequestsList()) {
        serveOne(write, one.clear());
      }
      response.getAppendBuilder();
    } else {
      throw new StateRequestException(
          function + ": a batched state request is a get of reads or an append of writes");
    }
  }

  /** Serves one request for the key it names; get data is whole here, paged by the caller. */
  private void serveOne(StateRequest request, StateResponse.Builder response) {
    StateKey stateKey = request.getStateKey();
    Object key;
    try {
      key = keys.decode(keyBytes(stateKey));
    } catch (RuntimeException e) {
      throw new StateRequestException(function + ": bad key in state request: " + e.getMessage());
    }
    Object previousKey = access.currentKey();
    access.setCurrentKey(key);
    try {
      serve(request, stateKey, response);
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
      if (previousKey != null) {
        access.setCurrentKey(previousKey);
      }
    }
  }

  /** Fails one request (or the batch it is in) with a message for the worker. */
  private static final class StateRequestException extends RuntimeException {
    StateRequestException(String message) {
      super(message, null, false, false);
    }
  }

  /** Forgets the unread rest of large answers: tokens live for one bundle. */
  void bundleEnded() {
    continuations.clear();
  }

  private void serve(StateRequest request, StateKey stateKey, StateResponse.Builder response)
      throws Exception {
    switch (stateKey.getTypeCase()) {
      case BAG_USER_STATE -> serveBag(request, bag(stateKey.getBagUserState().getUserStateId()), response);
      case MULTIMAP_USER_STATE -> {
        StateKey.MultimapUserState entry = stateKey.getMultimapUserState();
        serveMapEntry(request, map(entry.getUserStateId()), mapKey(entry.getMapKey()), response);
      }
      case MULTIMAP_KEYS_USER_STATE -> {
        MapState<String, byte[]> map = map(stateKey.getMultimapKeysUserState().getUserStateId());
        serveWholeMap(request, map, false, response);
      }
      case MULTIMAP_ENTRIES_USER_STATE -> {
        MapState<String, byte[]> map = map(stateKey.getMultimapEntriesUserState().getUserStateId());
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
        response.getGetBuilder().setData(value == null ? ByteString.EMPTY : ByteString.copyFrom(value));
      }
      case APPEND -> {
        byte[] existing = map.get(mapKey);
        ByteString data = request.getAppend().getData();
        map.put(
            mapKey,
            existing == null ? data.toByteArray() : ByteString.copyFrom(existing).concat(data).toByteArray());
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
            writeDelimited(coded, entry.getKey().getBytes(StandardCharsets.ISO_8859_1));
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

  @SuppressWarnings("unchecked")
  private ListState<byte[]> bag(String userStateId) throws Exception {
    State state = states.get(userStateId);
    if (state == null) {
      ListStateDescriptor<byte[]> descriptor =
          new ListStateDescriptor<>(userStateId, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
      state = register(descriptor);
    }
    return (ListState<byte[]>) state;
  }

  @SuppressWarnings("unchecked")
  private MapState<String, byte[]> map(String userStateId) throws Exception {
    State state = states.get(userStateId);
    if (state == null) {
      MapStateDescriptor<String, byte[]> descriptor =
          new MapStateDescriptor<>(
              userStateId, Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
      state = register(descriptor);
    }
    return (MapState<String, byte[]>) state;
  }

  private State register(StateDescriptor<? extends State, ?> descriptor) throws Exception {
    if (ttl != null) {
      descriptor.enableTimeToLive(ttl);
    }
    State state = access.state(descriptor);
    states.put(descriptor.getName(), state);
    return state;
  }

  private static String mapKey(ByteString bytes) {
    return new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
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
