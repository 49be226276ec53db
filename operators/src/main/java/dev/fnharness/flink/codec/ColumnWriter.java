package dev.fnharness.flink.codec;

import java.io.IOException;
import com.google.protobuf.CodedOutputStream;

/**
 * Collects one column's values for a batch and writes them as a {@code Column} message body,
 * straight to a {@link CodedOutputStream}: no message object per row or per column.
 */
interface ColumnWriter {

  /** Appends the next row's value; {@code null} is a null. */
  void add(Object value);

  /** Size of the {@code Column} body for the rows added so far. */
  int serializedSize(int rowCount) ;

  void writeTo(CodedOutputStream out, int rowCount) throws IOException;

  /** Forgets the rows, keeping the buffers for the next batch. */
  void reset(int rowCount);

  static ColumnWriter forType(ColumnType type) {
    return switch (type) {
      case BIGINT, INT -> new LongColumnWriter();
      case DOUBLE -> new DoubleColumnWriter();
      case BOOLEAN -> new BooleanColumnWriter();
      case STRING -> new StringColumnWriter();
    };
  }

  /** Size of the {@code nulls} field (field 1), or 0 when the column has no null. */
  static int nullsSize(NullMask nulls, int rowCount) {
    return nulls.anyNull()
        ? CodedOutputStream.computeTagSize(RowBatchFields.COLUMN_NULLS)
            + CodedOutputStream.computeUInt32SizeNoTag(NullMask.byteLength(rowCount))
            + NullMask.byteLength(rowCount)
        : 0;
  }

  static void writeNulls(CodedOutputStream out, NullMask nulls, int rowCount) throws IOException {
    if (nulls.anyNull()) {
      out.writeByteArray(RowBatchFields.COLUMN_NULLS, nulls.bits(), 0, NullMask.byteLength(rowCount));
    }
  }

  /** Size of a packed repeated field whose payload is {@code dataSize} bytes. */
  static int packedSize(int fieldNumber, int dataSize) {
    return dataSize == 0
        ? 0
        : CodedOutputStream.computeTagSize(fieldNumber)
            + CodedOutputStream.computeUInt32SizeNoTag(dataSize)
            + dataSize;
  }
}
