package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * BIGINT and INT (packed {@code sfixed64} longs), DOUBLE (packed doubles) and BOOLEAN (packed
 * bools) columns. A null row keeps its slot with the value 0 / 0.0 / false.
 */
final class PackedColumnWriter implements ColumnWriter {

  private final ColumnType type;
  private final int fieldNumber;
  private final NullMask nulls = new NullMask();
  private final FixedWidthBuffer values = new FixedWidthBuffer();
  private int size;

  PackedColumnWriter(ColumnType type) {
    this.type = type;
    this.fieldNumber =
        switch (type) {
          case BIGINT, INT -> RowBatchFields.COLUMN_LONGS;
          case DOUBLE -> RowBatchFields.COLUMN_DOUBLES;
          case BOOLEAN -> RowBatchFields.COLUMN_BOOLS;
          case STRING -> throw new IllegalArgumentException("STRING is not fixed-width");
        };
  }

  @Override
  public void add(Object value) {
    if (value == null) {
      nulls.setNull(size);
    }
    switch (type) {
      case BIGINT, INT -> values.putLong(value == null ? 0L : ((Number) value).longValue());
      case DOUBLE -> values.putDouble(value == null ? 0.0 : ((Number) value).doubleValue());
      case BOOLEAN -> values.putBoolean(value != null && (Boolean) value);
      case STRING -> throw new AssertionError();
    }
    size++;
  }

  @Override
  public int serializedSize(int rowCount) {
    return ColumnWriter.nullsSize(nulls, rowCount)
        + ColumnWriter.packedSize(fieldNumber, values.length());
  }

  @Override
  public void writeTo(CodedOutputStream out, int rowCount) throws IOException {
    ColumnWriter.writeNulls(out, nulls, rowCount);
    if (values.length() > 0) {
      out.writeTag(fieldNumber, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(values.length());
      out.writeRawBytes(values.bytes(), 0, values.length());
    }
  }

  @Override
  public void reset(int rowCount) {
    nulls.clear(rowCount);
    values.clear();
    size = 0;
  }
}
