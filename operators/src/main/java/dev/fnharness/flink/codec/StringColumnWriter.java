package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** STRING columns: one length-delimited UTF-8 entry per row (repeated strings cannot be packed). */
final class StringColumnWriter implements ColumnWriter {

  private final NullMask nulls = new NullMask();
  private String[] values = new String[64];
  private int size;

  @Override
  public void add(Object value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    if (value == null) {
      nulls.setNull(size);
      values[size++] = "";
    } else {
      values[size++] = (String) value;
    }
  }

  @Override
  public int serializedSize(int rowCount) {
    int bytes = ColumnWriter.nullsSize(nulls, rowCount);
    for (int i = 0; i < size; i++) {
      bytes += CodedOutputStream.computeStringSize(RowBatchFields.COLUMN_STRINGS, values[i]);
    }
    return bytes;
  }

  @Override
  public void writeTo(CodedOutputStream out, int rowCount) throws IOException {
    ColumnWriter.writeNulls(out, nulls, rowCount);
    for (int i = 0; i < size; i++) {
      out.writeString(RowBatchFields.COLUMN_STRINGS, values[i]);
    }
  }

  @Override
  public void reset(int rowCount) {
    nulls.clear(rowCount);
    Arrays.fill(values, 0, size, null);
    size = 0;
  }
}
