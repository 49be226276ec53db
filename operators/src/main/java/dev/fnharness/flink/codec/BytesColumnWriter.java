package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** BYTES columns ({@code byte[]}): one length-delimited entry per row in {@code binaries}. */
final class BytesColumnWriter extends ColumnWriter {

  private static final byte[] EMPTY = new byte[0];

  private byte[][] values = new byte[64][];

  @Override
  void addNullSlot() {
    append(EMPTY);
  }

  @Override
  void addValue(Object value) {
    append((byte[]) value);
  }

  private void append(byte[] value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size] = value;
  }

  @Override
  int computeValuesSize() {
    int bytes = 0;
    for (int i = 0; i < size; i++) {
      bytes += CodedOutputStream.computeByteArraySize(RowBatchFields.COLUMN_BINARIES, values[i]);
    }
    return bytes;
  }

  @Override
  void writeValues(CodedOutputStream out) throws IOException {
    for (int i = 0; i < size; i++) {
      out.writeByteArray(RowBatchFields.COLUMN_BINARIES, values[i]);
    }
  }

  @Override
  void reset() {
    Arrays.fill(values, 0, size, null);
    super.reset();
  }
}
