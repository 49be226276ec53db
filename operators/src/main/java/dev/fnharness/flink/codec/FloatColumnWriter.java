package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** FLOAT columns: packed fixed 4-byte floats. */
final class FloatColumnWriter extends ColumnWriter {

  private float[] values = new float[64];

  @Override
  void addNullSlot() {
    append(0);
  }

  @Override
  void addValue(Object value) {
    append(((Number) value).floatValue());
  }

  /** Appends a non-null value (an element of {@code float[]}). */
  void addFloat(float value) {
    append(value);
    size++;
  }

  private void append(float value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size] = value;
  }

  @Override
  int computeValuesSize() {
    return packedSize(RowBatchFields.COLUMN_FLOATS, size * Float.BYTES);
  }

  @Override
  void writeValues(CodedOutputStream out) throws IOException {
    if (size > 0) {
      writePackedHeader(out, RowBatchFields.COLUMN_FLOATS, size * Float.BYTES);
      for (int i = 0; i < size; i++) {
        out.writeFloatNoTag(values[i]);
      }
    }
  }
}
