package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** BOOLEAN columns: packed bools, one byte each. */
final class BooleanColumnWriter extends ColumnWriter {

  private boolean[] values = new boolean[64];

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
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size] = value;
  }

  @Override
  int computeValuesSize() {
    return packedSize(RowBatchFields.COLUMN_BOOLS, size);
  }

  @Override
  void writeValues(CodedOutputStream out) throws IOException {
    if (size > 0) {
      writePackedHeader(out, RowBatchFields.COLUMN_BOOLS, size);
      for (int i = 0; i < size; i++) {
        out.writeBoolNoTag(values[i]);
      }
    }
  }
}
