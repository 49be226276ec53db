package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;

/** DOUBLE columns: packed fixed 8-byte doubles. */
final class DoubleColumnWriter implements ColumnWriter {

  private final NullMask nulls = new NullMask();
  private double[] values = new double[64];
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
      values[size++] = ((Number) value).doubleValue();
    }
  }

  @Override
  public int serializedSize(int rowCount) {
    return ColumnWriter.nullsSize(nulls, rowCount)
        + ColumnWriter.packedSize(RowBatchFields.COLUMN_DOUBLES, size * Double.BYTES);
  }

  @Override
  public void writeTo(CodedOutputStream out, int rowCount) throws IOException {
    ColumnWriter.writeNulls(out, nulls, rowCount);
    if (size > 0) {
      out.writeTag(RowBatchFields.COLUMN_DOUBLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size * Double.BYTES);
      for (int i = 0; i < size; i++) {
        out.writeDoubleNoTag(values[i]);
      }
    }
  }

  @Override
  public void reset(int rowCount) {
    nulls.clear(rowCount);
    size = 0;
  }
}
