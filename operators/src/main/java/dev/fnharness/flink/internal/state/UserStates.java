package dev.fnharness.flink.internal.state;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
 * The Flink keyed states behind the worker's user state ids, and the key they are read for.
 *
 * <p>Storage (docs/protocol.md, "Keyed functions and state"): a bag is a {@code ListState<byte[]>}
 * with one entry per append, read back as their concatenation. A map is a {@code MapState<String,
 * byte[]>} whose keys are the map-key bytes read as ISO-8859-1, one char per byte: heap state
 * compares map keys with {@code equals}, which a {@code byte[]} lacks. The Flink state is named by
 * the user state id.
 */
final class UserStates {

  private final UserStateRequests.KeyedStateAccess access;
  private final StateKeyCodec keys;
  private final StateTtlConfig ttl;
  private final String function;
  private final Map<String, State> states = new HashMap<>();

  /**
   * @param ttl null when state does not expire
   * @param function names the Python function in errors
   */
  UserStates(
      UserStateRequests.KeyedStateAccess access,
      StateKeyCodec keys,
      Duration ttl,
      String function) {
    this.access = access;
    this.keys = keys;
    this.ttl =
        ttl == null
            ? null
            : StateTtlConfig.newBuilder(ttl)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .build();
    this.function = function;
  }

  String function() {
    return function;
  }

  /** The Flink key named by {@code bytes}; a request naming no valid key fails. */
  Object key(ByteString bytes) {
    try {
      return keys.decode(bytes);
    } catch (RuntimeException e) {
      throw new StateRequestException(function + ": bad key in state request: " + e.getMessage());
    }
  }

  Object currentKey() {
    return access.currentKey();
  }

  void setCurrentKey(Object key) {
    access.setCurrentKey(key);
  }

  /** Puts back the key the operator had before a request changed it (none before the first row). */
  void restoreKey(Object previousKey) {
    if (previousKey != null) {
      access.setCurrentKey(previousKey);
    }
  }

  @SuppressWarnings("unchecked")
  ListState<byte[]> bag(String userStateId) throws Exception {
    State state = states.get(userStateId);
    if (state == null) {
      state =
          register(
              new ListStateDescriptor<>(
                  userStateId, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }
    return (ListState<byte[]>) state;
  }

  @SuppressWarnings("unchecked")
  MapState<String, byte[]> map(String userStateId) throws Exception {
    State state = states.get(userStateId);
    if (state == null) {
      state =
          register(
              new MapStateDescriptor<>(
                  userStateId,
                  Types.STRING,
                  PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
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

  static String mapKey(ByteString bytes) {
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  static byte[] mapKeyBytes(String mapKey) {
    return mapKey.getBytes(StandardCharsets.ISO_8859_1);
  }
}
