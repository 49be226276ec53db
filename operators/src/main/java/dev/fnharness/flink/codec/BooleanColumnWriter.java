package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/** BOOLEAN columns: packed bools, one byte each. */
final class BooleanColumnWriter extends ColumnWriter {

  private final PackedValues values = new PackedValues(RowBatchFields.COLUMN_BOOLS);

  /** {@link #add}, called on this final class directly (see {@link RowBatchEncoder#add}). */
  void addBoxed(Object value) {
    if (value == null) {
      nulls.setNull(size);
      values.putBoolean(false);
    } else {
      values.putBoolean((Boolean) value);
    }
    size++;
  }

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
