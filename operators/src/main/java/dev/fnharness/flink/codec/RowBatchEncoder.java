package dev.fnharness.flink.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * Fills a column-major {@code RowBatch} row by row and serializes it in one pass into an exactly
 * sized array. Reused across batches: {@link #finish} resets it.
 */
public final class RowBatchEncoder {

  private final int[] sourcePositions;
  private final ColumnWriter[] columns;
  private int rowCount;

  /**
   * @param sourcePositions for each batch column, the field of the input row it is taken from
   * @param types the type of each batch column
   */
  public RowBatchEncoder(int[] sourcePositions, List<ColumnType> types) {
    if (sourcePositions.length != types.size()) {
      throw new IllegalArgumentException("one type per column expected");
    }
    this.sourcePositions = sourcePositions.clone();
    this.columns = new ColumnWriter[types.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = ColumnWriter.forType(types.get(i));
    }
  }

  /** Appends the batch columns' values of {@code row}. */
  public void add(Row row) {
    for (int i = 0; i < columns.length; i++) {
      columns[i].add(row.getField(sourcePositions[i]));
    }
    rowCount++;
  }

  public int rowCount() {
    return rowCount;
  }

  /** Serializes the rows added since the last call and starts an empty batch. */
  public ByteString finish() {
    int[] columnSizes = new int[columns.length];
    int total = CodedOutputStream.computeInt32Size(RowBatchFields.BATCH_ROW_COUNT, rowCount);
    for (int i = 0; i < columns.length; i++) {
      columnSizes[i] = columns[i].serializedSize(rowCount);
      total +=
          CodedOutputStream.computeTagSize(RowBatchFields.BATCH_COLUMNS)
              + CodedOutputStream.computeUInt32SizeNoTag(columnSizes[i])
              + columnSizes[i];
    }
    byte[] bytes = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeInt32(RowBatchFields.BATCH_ROW_COUNT, rowCount);
      for (int i = 0; i < columns.length; i++) {
        out.writeTag(RowBatchFields.BATCH_COLUMNS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(columnSizes[i]);
        columns[i].writeTo(out, rowCount);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("RowBatch size was computed wrongly", e);
    }
    for (ColumnWriter column : columns) {
      column.reset(rowCount);
    }
    rowCount = 0;
    return UnsafeByteOperations.unsafeWrap(bytes);
  }
}
