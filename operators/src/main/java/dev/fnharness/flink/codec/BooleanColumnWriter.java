package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;

/** BOOLEAN columns: packed bools, one byte each. */
final class BooleanColumnWriter implements ColumnWriter {

  private final NullMask nulls = new NullMask();
  private boolean[] values = new boolean[64];
  private int size;

  @Override
  public void add(Object value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    if (value == null) {
      nulls.setNull(size);
      values[size++] = false;
    } else {
      values[size++] = (Boolean) value;
    }
  }

  @Override
  public int serializedSize(int rowCount) {
    return ColumnWriter.nullsSize(nulls, rowCount)
        + ColumnWriter.packedSize(RowBatchFields.COLUMN_BOOLS, size);
  }

  @Override
  public void writeTo(CodedOutputStream out, int rowCount) throws IOException {
    ColumnWriter.writeNulls(out, nulls, rowCount);
    if (size > 0) {
      out.writeTag(RowBatchFields.COLUMN_BOOLS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size);
      for (int i = 0; i < size; i++) {
        out.writeBoolNoTag(values[i]);
      }
    }
  }

  @Override
  public void reset(int rowCount) {
    nulls.clear(rowCount);
    size = 0;
  }
}
