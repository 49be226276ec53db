package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** DOUBLE columns: packed fixed 8-byte doubles. */
final class DoubleColumnWriter extends ColumnWriter {

  private double[] values = new double[64];

  @Override
  void addNullSlot() {
    append(0);
  }

  @Override
  void addValue(Object value) {
    append(((Number) value).doubleValue());
  }

  /** Appends a non-null value (an element of {@code double[]}). */
  void addDouble(double value) {
    append(value);
    size++;
  }

  private void append(double value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size] = value;
  }

  @Override
  int computeValuesSize() {
    return packedSize(RowBatchFields.COLUMN_DOUBLES, size * Double.BYTES);
  }

  @Override
  void writeValues(CodedOutputStream out) throws IOException {
    if (size > 0) {
      writePackedHeader(out, RowBatchFields.COLUMN_DOUBLES, size * Double.BYTES);
      for (int i = 0; i < size; i++) {
        out.writeDoubleNoTag(values[i]);
      }
    }
  }
}
