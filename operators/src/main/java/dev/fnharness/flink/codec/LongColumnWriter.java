package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;

/** BIGINT and INT columns: packed {@code sint64} (zig-zag keeps small negatives short). */
final class LongColumnWriter implements ColumnWriter {

  private final NullMask nulls = new NullMask();
  private long[] values = new long[64];
  private int size;

  @Override
  public void add(Object value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    if (value == null) {
      nulls.setNull(size);
      values[size++] = 0;
    } else {
      values[size++] = ((Number) value).longValue();
    }
  }

  private int dataSize() {
    int bytes = 0;
    for (int i = 0; i < size; i++) {
      bytes += CodedOutputStream.computeSInt64SizeNoTag(values[i]);
    }
    return bytes;
  }

  @Override
  public int serializedSize(int rowCount) {
    return ColumnWriter.nullsSize(nulls, rowCount)
        + ColumnWriter.packedSize(RowBatchFields.COLUMN_LONGS, dataSize());
  }

  @Override
  public void writeTo(CodedOutputStream out, int rowCount) throws IOException {
    ColumnWriter.writeNulls(out, nulls, rowCount);
    if (size > 0) {
      out.writeTag(RowBatchFields.COLUMN_LONGS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(dataSize());
      for (int i = 0; i < size; i++) {
        out.writeSInt64NoTag(values[i]);
      }
    }
  }

  @Override
  public void reset(int rowCount) {
    nulls.clear(rowCount);
    size = 0;
  }
}
