package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/** BOOLEAN columns: packed bools, one byte each. */
final class BooleanColumnWriter extends ColumnWriter {

  /** {@code values}' array while the encoder fills this column by row index. */
  private byte[] rowBytes;

  private final PackedValues values = new PackedValues(RowBatchFields.COLUMN_BOOLS);

  @Override
  void addNullSlot() {
    append(false);
  }

  @Override
  void addValue(Object value) {
    append((Boolean) value);
  }

  /** The encoder's path, by row index. */
  void setBoolean(int row, Object value) {
    boolean bool;
    if (value == null) {
      nulls.setReservedNull(row);
      bool = false;
    } else {
      bool = (Boolean) value;
    }
    PackedValues.setBoolean(rowBytes, row, bool);
  }

  @Override
  void reserveRows(int rows) {
    super.reserveRows(rows);
    rowBytes = values.reserve(rows);
  }

  @Override
  void endRows(int rows) {
    values.seal(rows);
    super.endRows(rows);
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
