package dev.fnharness.flink.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.List;

/**
 * Turns a {@code RowBatch} from the worker into one Java value array per column, reading the wire
 * format directly (see {@link ColumnReader}). Reused across batches; not thread-safe.
 */
public final class RowBatchDecoder {

  private static final int ROW_COUNT =
      (RowBatchFields.BATCH_ROW_COUNT << 3) | WireFormat.WIRETYPE_VARINT;
  private static final int COLUMNS =
      (RowBatchFields.BATCH_COLUMNS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private final List<ColumnType> types;
  private final ColumnReader[] readers;
  private final ByteString[] columnBodies;

  public RowBatchDecoder(List<ColumnType> types) {
    this.types = List.copyOf(types);
    this.readers = new ColumnReader[types.size()];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = new ColumnReader(types.get(i), "column " + i);
    }
    this.columnBodies = new ByteString[types.size()];
  }

  /** Column-major values: {@code result[column][row]}, {@code null} for a null. */
  public DecodedBatch decode(ByteString data) {
    int rows = 0;
    int columnCount = 0;
    CodedInputStream in = data.newCodedInput();
    in.enableAliasing(true);
    try {
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == ROW_COUNT) {
          rows = in.readInt32();
        } else if (tag == COLUMNS) {
          ByteString body = in.readBytes();
          if (columnCount < columnBodies.length) {
            columnBodies[columnCount] = body;
          }
          columnCount++;
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("The worker sent a malformed RowBatch", e);
    }
    try {
      if (columnCount != types.size()) {
        throw new IllegalStateException(
            "The worker sent " + columnCount + " columns, expected " + types.size());
      }
      if (rows < 0) {
        throw new IllegalStateException("The worker sent a RowBatch of " + rows + " rows");
      }
      Object[][] columns = new Object[types.size()][];
      for (int c = 0; c < columns.length; c++) {
        columns[c] = readers[c].read(columnBodies[c], rows);
      }
      return new DecodedBatch(rows, columns);
    } finally {
      java.util.Arrays.fill(columnBodies, null);
    }
  }

  /** One decoded batch: {@code value(column, row)}. */
  public record DecodedBatch(int rowCount, Object[][] columns) {
    public Object value(int column, int row) {
      return columns[column][row];
    }
  }
}
