package dev.fnharness.flink.internal.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.fnharness.proto.BagReads;
import dev.fnharness.proto.BagWrites;
import dev.fnharness.proto.MapReads;
import dev.fnharness.proto.MapWrites;
import dev.fnharness.proto.StateBatchReads;
import dev.fnharness.proto.StateBatchResults;
import dev.fnharness.proto.StateBatchWrites;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;

/**
 * Serves the worker's batched state requests (docs/protocol.md, "Batched state requests"): per user
 * state, a column of keys and columns of what to read or write for each. One loop per state, no
 * message per key: these batches carry every read before an input batch and every write of a
 * bundle, so their per-key cost is the keyed-state throughput.
 *
 * <p>Called on the task thread only, through {@link UserStateRequests#handle}.
 */
final class StateBatches {

  private final UserStates states;

  /** The entries of the map being read; kept to spare a list per key. */
  private final List<Map.Entry<String, byte[]>> mapEntries = new ArrayList<>();

  StateBatches(UserStates states) {
    this.states = states;
  }

  /** The serialized {@code StateBatchResults} answering {@code reads}. */
  ByteString read(StateBatchReads reads) {
    StateBatchResults.Builder results = StateBatchResults.newBuilder();
    Object previousKey = states.currentKey();
    try {
      for (BagReads bag : reads.getBagsList()) {
        readBags(bag, results);
      }
      for (MapReads map : reads.getMapsList()) {
        readMaps(map, results);
      }
    } finally {
      states.restoreKey(previousKey);
    }
    return results.build().toByteString();
  }

  /** Applies {@code writes}: each (state, key) once, so their order does not matter. */
  void write(StateBatchWrites writes) {
    Object previousKey = states.currentKey();
    try {
      for (BagWrites bag : writes.getBagsList()) {
        writeBags(bag);
      }
      for (MapWrites map : writes.getMapsList()) {
        writeMaps(map);
      }
    } finally {
      states.restoreKey(previousKey);
    }
  }

  private void readBags(BagReads reads, StateBatchResults.Builder results) {
    String id = reads.getUserStateId();
    ListState<byte[]> bag = state(() -> states.bag(id), "read", id);
    for (ByteString keyBytes : reads.getKeysList()) {
      Object key = states.key(keyBytes);
      states.setCurrentKey(key);
      try {
        results.addBags(concatenation(bag.get()));
      } catch (Exception e) {
        throw failed("read", id, key, e);
      }
    }
  }

  private void readMaps(MapReads reads, StateBatchResults.Builder results) {
    String id = reads.getUserStateId();
    MapState<String, byte[]> map = state(() -> states.map(id), "read", id);
    int most = reads.getMaxEntries();
    for (ByteString keyBytes : reads.getKeysList()) {
      Object key = states.key(keyBytes);
      states.setCurrentKey(key);
      try {
        readMap(map, most, results);
      } catch (Exception e) {
        throw failed("read", id, key, e);
      }
    }
  }

  /** Adds the map's entries, or none and a too-large mark when it has more than {@code most}. */
  private void readMap(MapState<String, byte[]> map, int most, StateBatchResults.Builder results)
      throws Exception {
    Iterable<Map.Entry<String, byte[]>> entries = map.entries();
    mapEntries.clear();
    if (entries != null) {
      for (Map.Entry<String, byte[]> entry : entries) {
        if (mapEntries.size() == most) {
          results.addMapEntryCounts(0).addMapTooLarge(true);
          return;
        }
        mapEntries.add(entry);
      }
    }
    for (Map.Entry<String, byte[]> entry : mapEntries) {
      results.addMapKeys(UnsafeByteOperations.unsafeWrap(UserStates.mapKeyBytes(entry.getKey())));
      // Flink holds the array and no one changes it before this answer is serialized.
      results.addMapValues(UnsafeByteOperations.unsafeWrap(entry.getValue()));
    }
    results.addMapEntryCounts(mapEntries.size()).addMapTooLarge(false);
    mapEntries.clear();
  }

  private void writeBags(BagWrites writes) {
    String id = writes.getUserStateId();
    int keys = writes.getKeysCount();
    if (writes.getClearCount() != keys || writes.getAppendsCount() != keys) {
      throw malformed(
          "bag",
          id,
          keys
              + " keys, "
              + writes.getClearCount()
              + " clear flags and "
              + writes.getAppendsCount()
              + " appends");
    }
    ListState<byte[]> bag = state(() -> states.bag(id), "write", id);
    for (int i = 0; i < keys; i++) {
      Object key = states.key(writes.getKeys(i));
      states.setCurrentKey(key);
      ByteString append = writes.getAppends(i);
      try {
        if (!writes.getClear(i)) {
          if (!append.isEmpty()) {
            bag.add(append.toByteArray());
          }
        } else if (append.isEmpty()) {
          bag.clear();
        } else {
          // One replacement, not a clear and an add: a value is written this way every bundle.
          bag.update(List.of(append.toByteArray()));
        }
      } catch (Exception e) {
        throw failed("write", id, key, e);
      }
    }
  }

  private void writeMaps(MapWrites writes) {
    String id = writes.getUserStateId();
    int keys = writes.getKeysCount();
    int entries = writes.getMapKeysCount();
    if (writes.getClearCount() != keys
        || writes.getEntryCountsCount() != keys
        || writes.getValuesCount() != entries) {
      throw malformed(
          "map",
          id,
          keys
              + " keys, "
              + writes.getClearCount()
              + " clear flags, "
              + writes.getEntryCountsCount()
              + " entry counts, "
              + entries
              + " map keys and "
              + writes.getValuesCount()
              + " values");
    }
    MapState<String, byte[]> map = state(() -> states.map(id), "write", id);
    int entry = 0;
    for (int i = 0; i < keys; i++) {
      Object key = states.key(writes.getKeys(i));
      int end = entry + writes.getEntryCounts(i);
      if (end > entries || end < entry) {
        throw malformed("map", id, "entry counts beyond the " + entries + " map keys");
      }
      states.setCurrentKey(key);
      try {
        if (writes.getClear(i)) {
          map.clear();
        }
        for (; entry < end; entry++) {
          String mapKey = UserStates.mapKey(writes.getMapKeys(entry));
          ByteString value = writes.getValues(entry);
          if (value.isEmpty()) {
            map.remove(mapKey);
          } else {
            map.put(mapKey, value.toByteArray());
          }
        }
      } catch (Exception e) {
        throw failed("write", id, key, e);
      }
    }
    if (entry != entries) {
      throw malformed("map", id, (entries - entry) + " map keys beyond the entry counts");
    }
  }

  /** A bag's entries back to back; a one-entry bag (a value) without a copy. */
  private static ByteString concatenation(Iterable<byte[]> entries) {
    if (entries == null) {
      return ByteString.EMPTY;
    }
    Iterator<byte[]> it = entries.iterator();
    if (!it.hasNext()) {
      return ByteString.EMPTY;
    }
    byte[] first = it.next();
    if (!it.hasNext()) {
      // Flink holds the array and no one changes it before this answer is serialized.
      return UnsafeByteOperations.unsafeWrap(first);
    }
    ByteString.Output all = ByteString.newOutput();
    all.write(first, 0, first.length);
    while (it.hasNext()) {
      byte[] entry = it.next();
      all.write(entry, 0, entry.length);
    }
    return all.toByteString();
  }

  private interface StateLookup<S> {
    S get() throws Exception;
  }

  private <S> S state(StateLookup<S> lookup, String what, String id) {
    try {
      return lookup.get();
    } catch (Exception e) {
      throw new StateRequestException(
          states.function() + ": batched " + what + " of state '" + id + "' failed: " + e);
    }
  }

  private StateRequestException failed(String what, String id, Object key, Exception e) {
    return new StateRequestException(
        states.function()
            + ": batched "
            + what
            + " of state '"
            + id
            + "' for key "
            + key
            + " failed: "
            + e);
  }

  private StateRequestException malformed(String kind, String id, String what) {
    return new StateRequestException(
        states.function()
            + ": malformed batched "
            + kind
            + " write of state '"
            + id
            + "': "
            + what);
  }
}
