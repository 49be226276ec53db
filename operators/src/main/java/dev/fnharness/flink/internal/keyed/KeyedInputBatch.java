package dev.fnharness.flink.internal.keyed;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.codec.RowBatchEncoder;
import dev.fnharness.proto.KeyedEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * Gathers the events (rows and fired timers) of one keyed input batch: the event, timestamp and key
 * columns, then the row's fields, and remembers each event's key and output timestamp for when its
 * results come back. Reused: {@link #finish} starts the next batch.
 */
final class KeyedInputBatch {

  /** The key and the timestamp its output rows get, of every event of a sent batch, in order. */
  record SentEvents(Object[] keys, Long[] outputTimestamps) {}

  private final RowBatchEncoder header;
  private final RowBatchEncoder fields;
  private final Row headerRow = new Row(3);
  private final Row timerRow;
  private final List<Object> keys = new ArrayList<>();
  private final List<Long> outputTimestamps = new ArrayList<>();

  KeyedInputBatch(ColumnType keyType, List<ColumnType> fieldTypes) {
    header =
        new RowBatchEncoder(
            new int[] {0, 1, 2}, List.of(ColumnType.INT, ColumnType.BIGINT, keyType));
    int[] positions = new int[fieldTypes.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    fields = new RowBatchEncoder(positions, fieldTypes);
    timerRow = new Row(fieldTypes.size());
  }

  /** A row; {@code timestamp} is its event time, or null. */
  void addRow(Object key, Row row, Long timestamp) {
    add(KeyedEvent.KEYED_EVENT_ROW, key, row, timestamp, timestamp);
  }

  /** A fired timer. Output of event-time timers carries the timer's time, like Flink's. */
  void addTimer(Object key, long time, boolean eventTime) {
    add(
        eventTime
            ? KeyedEvent.KEYED_EVENT_EVENT_TIME_TIMER
            : KeyedEvent.KEYED_EVENT_PROCESSING_TIME_TIMER,
        key,
        timerRow,
        time,
        eventTime ? time : null);
  }

  private void add(KeyedEvent event, Object key, Row row, Long timestamp, Long outputTimestamp) {
    headerRow.setField(0, event.getNumber());
    headerRow.setField(1, timestamp);
    headerRow.setField(2, key);
    header.add(headerRow);
    fields.add(row);
    keys.add(key);
    outputTimestamps.add(outputTimestamp);
  }

  int size() {
    return keys.size();
  }

  /**
   * The serialized batch. Its two halves are serialized RowBatches; concatenated, protobuf reads
   * them as one message whose columns are the header's followed by the fields' (repeated fields
   * append on merge, and both halves carry the same row_count).
   */
  ByteString finish() {
    return header.finish().concat(fields.finish());
  }

  /** What {@link #finish} sent, for its results; then forgets it. */
  SentEvents sentEvents() {
    SentEvents sent = new SentEvents(keys.toArray(), outputTimestamps.toArray(new Long[0]));
    keys.clear();
    outputTimestamps.clear();
    return sent;
  }
}
