package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/** FLOAT columns: packed fixed 4-byte floats. */
final class FloatColumnWriter extends ColumnWriter {

  private final PackedValues values = new PackedValues(RowBatchFields.COLUMN_FLOATS);

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
    values.putFloat(value);
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
