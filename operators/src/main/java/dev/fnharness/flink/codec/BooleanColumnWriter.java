package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/** BOOLEAN columns: packed bools, one byte each. */
final class BooleanColumnWriter extends ColumnWriter {

  private final PackedValues values = new PackedValues(RowBatchFields.COLUMN_BOOLS);

  @Override
  void addNullSlot() {
    append(false);
  }

  @Override
  void addValue(Object value) {
    append((Boolean) value);
  }

  /** Appends a non-null value (an element of {@code boolean[]}). */
  void addBoolean(boolean value) {
    append(value);
    size++;
  }

  private void append(boolean value) {
    values.putBoolean(value);
  }

  @Override
  int computeValuesSize() {
    return values.serializedSize();
  }

  @Override
  void writeValues(CodedOutputStream out) throws IOException {
    values.writeTo(out);
  }

  @Override
  void reset() {
    values.clear();
    super.reset();
  }
}
