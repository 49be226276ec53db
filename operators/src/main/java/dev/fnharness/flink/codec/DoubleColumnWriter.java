package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/** DOUBLE columns: packed fixed 8-byte doubles. */
final class DoubleColumnWriter extends ColumnWriter {

  /** {@code values}' array while the encoder fills this column by row index. */
  private byte[] rowBytes;

  private final PackedValues values = new PackedValues(RowBatchFields.COLUMN_DOUBLES);

  @Override
  void addNullSlot() {
    append(0);
  }

  @Override
  void addValue(Object value) {
    append(((Number) value).doubleValue());
  }

  /** The encoder's path, by row index: {@link #add} with {@code Double} tested first. */
  void setDouble(int row, Object value) {
    double number;
    if (value instanceof Double d) {
      number = d;
    } else if (value == null) {
      nulls.setReservedNull(row);
      number = 0;
    } else {
      number = ((Number) value).doubleValue();
    }
    PackedValues.setDouble(rowBytes, row, number);
  }

  @Override
  void reserveRows(int rows) {
    super.reserveRows(rows);
    rowBytes = values.reserve(rows * Double.BYTES);
  }

  @Override
  void endRows(int rows) {
    values.seal(rows * Double.BYTES);
    super.endRows(rows);
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
