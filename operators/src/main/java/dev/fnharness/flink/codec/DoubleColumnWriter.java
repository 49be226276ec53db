package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/** DOUBLE columns: packed fixed 8-byte doubles. */
final class DoubleColumnWriter extends ColumnWriter {

  private final PackedValues values = new PackedValues(RowBatchFields.COLUMN_DOUBLES);

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
    values.putDouble(value);
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
