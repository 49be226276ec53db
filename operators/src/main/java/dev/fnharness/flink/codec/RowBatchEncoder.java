package dev.fnharness.flink.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.util.StringUtils;

/**
 * Fills a column-major {@code RowBatch} row by row and serializes it in one pass into an exactly
 * sized array. Reused across batches: {@link #finish} resets it.
 */
public final class RowBatchEncoder {

  private final int[] sourcePositions;
  private final List<ColumnType> types;
  private final ColumnWriter[] columns;
  private final int[] columnSizes;
  private final byte[] fastPaths;

  private static final byte GENERIC = 0;
  private static final byte FAST_LONG = 1;
  private static final byte FAST_DOUBLE = 2;
  private static final byte FAST_STRING = 3;
  private static final byte FAST_BOOLEAN = 4;
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
    this.types = List.copyOf(types);
    this.columns = new ColumnWriter[types.size()];
    this.columnSizes = new int[types.size()];
    this.fastPaths = new byte[types.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = ColumnWriter.forType(types.get(i));
      fastPaths[i] = fastPath(columns[i]);
    }
  }

  /**
   * Appends the batch columns' values of {@code row}.
   *
   * @throws IllegalArgumentException naming the field and its value when a value cannot be sent
   *     (of the wrong class, a date outside Python's years 1 to 9999, a decimal too wide for its
   *     DECIMAL(p, s)); the encoder is unusable afterwards
   */
  public void add(Row row) {
    int i = 0;
    try {
      for (; i < columns.length; i++) {
        Object value = row.getField(sourcePositions[i]);
        // Cast to the writer's class, each call site sees one type and the JIT binds add()'s
        // addValue() statically and inlines it; a virtual addValue() per value was most of the
        // encoding cost.
        switch (fastPaths[i]) {
          case FAST_LONG -> ((LongColumnWriter) columns[i]).add(value);
          case FAST_DOUBLE -> ((DoubleColumnWriter) columns[i]).add(value);
          case FAST_STRING -> ((StringColumnWriter) columns[i]).add(value);
          case FAST_BOOLEAN -> ((BooleanColumnWriter) columns[i]).add(value);
          default -> columns[i].add(value);
        }
      }
    } catch (RuntimeException e) {
      String value = StringUtils.arrayAwareToString(row.getField(sourcePositions[i]));
      if (value.length() > 200) {
        value = value.substring(0, 200) + "...";
      }
      throw new IllegalArgumentException(
          "Field "
              + sourcePositions[i]
              + " of an input row holds "
              + value
              + ", which cannot be sent to Python as "
              + types.get(i)
              + ": "
              + e.getMessage(),
          e);
    }
    rowCount++;
  }

  private static byte fastPath(ColumnWriter writer) {
    if (writer instanceof LongColumnWriter) {
      return FAST_LONG;
    } else if (writer instanceof DoubleColumnWriter) {
      return FAST_DOUBLE;
    } else if (writer.getClass() == StringColumnWriter.class) {
      return FAST_STRING;
    } else if (writer instanceof BooleanColumnWriter) {
      return FAST_BOOLEAN;
    }
    return GENERIC;
  }

  public int rowCount() {
    return rowCount;
  }

  /** Serializes the rows added since the last call and starts an empty batch. */
  public ByteString finish() {
    int total = CodedOutputStream.computeInt32Size(RowBatchFields.BATCH_ROW_COUNT, rowCount);
    for (int i = 0; i < columns.length; i++) {
      columnSizes[i] = columns[i].computeSize();
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
        columns[i].writeTo(out);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("RowBatch size was computed wrongly", e);
    }
    for (ColumnWriter column : columns) {
      column.reset();
    }
    rowCount = 0;
    return UnsafeByteOperations.unsafeWrap(bytes);
  }
}
