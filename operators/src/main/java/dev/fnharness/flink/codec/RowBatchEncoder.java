package dev.fnharness.flink.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.util.StringUtils;

/**
 * Fills a column-major {@code RowBatch} row by row and serializes it in one pass into an exactly
 * sized array. Reused across batches: {@link #finish} resets it. The per-row work is a class
 * compiled for the columns at construction ({@link RowAdderGenerator}; a few milliseconds, once per
 * schema and class loader), or the generic slot chain where compiling is off ({@code
 * -Dfnharness.encoder.codegen=false}) or fails; both write the same bytes.
 */
public final class RowBatchEncoder {

  private final int[] sourcePositions;
  private final List<ColumnType> types;
  private final ColumnWriter[] columns;
  private final int[] columnSizes;

  /** Every column, fixed-width ones first and strings after them, then the others. */
  private final ColumnSlot firstSlot;

  /** Writes a row's values, in {@link #firstSlot}'s order: generated for the schema if it can. */
  private final RowAdder adder;

  /**
   * @param sourcePositions for each batch column, the field of the input row it is taken from
   * @param types the type of each batch column
   */
  public RowBatchEncoder(int[] sourcePositions, List<ColumnType> types) {
    this(sourcePositions, types, RowAdderGenerator.SHARED);
  }

  /**
   * @param generator where the per-row code comes from (tests pick the generic path here)
   */
  RowBatchEncoder(int[] sourcePositions, List<ColumnType> types, RowAdderGenerator generator) {
    if (sourcePositions.length != types.size()) {
      throw new IllegalArgumentException("one type per column expected");
    }
    this.sourcePositions = sourcePositions.clone();
    this.types = List.copyOf(types);
    this.columns = new ColumnWriter[types.size()];
    this.columnSizes = new int[types.size()];
    List<ColumnSlot> slots = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      columns[i] = ColumnWriter.forType(types.get(i));
      slots.add(new ColumnSlot(i, sourcePositions[i], columns[i]));
    }
    // A string's copy branches on its length, which the branch predictor cannot learn; visiting
    // the strings after the fixed-width columns keeps those branches out of the history that
    // predicts the fixed-width columns' paths.
    slots.sort(Comparator.comparingInt(RowBatchEncoder::visitOrder));
    for (int i = slots.size() - 1; i > 0; i--) {
      slots.get(i - 1).next = slots.get(i);
    }
    firstSlot = slots.isEmpty() ? null : slots.get(0);
    adder = generator.adderFor(firstSlot, columns);
  }

  private static int visitOrder(ColumnSlot slot) {
    return switch (slot.path) {
      case ColumnSlot.STRING -> 1;
      case ColumnSlot.OTHER -> 2;
      default -> 0;
    };
  }

  /**
   * Appends the batch columns' values of {@code row}.
   *
   * @throws IllegalArgumentException naming the field and its value when a value cannot be sent (of
   *     the wrong class, a date outside Python's years 1 to 9999, a decimal too wide for its
   *     DECIMAL(p, s)); the encoder is unusable afterwards
   */
  public void add(Row row) {
    try {
      adder.add(row);
    } catch (RuntimeException e) {
      throw cannotSend(row, e);
    }
  }

  private IllegalArgumentException cannotSend(Row row, RuntimeException e) {
    int i = failingColumn(row);
    if (i < 0) {
      return new IllegalArgumentException(
          "An input row could not be sent to Python: " + e.getMessage(), e);
    }
    String value = StringUtils.arrayAwareToString(row.getField(sourcePositions[i]));
    if (value.length() > 200) {
      value = value.substring(0, 200) + "...";
    }
    return new IllegalArgumentException(
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

  /**
   * The batch column whose value made {@code row} fail: the row replayed in the adders' order on
   * fresh writers, up to the first value that fails again; -1 if none does. The adders keep no
   * record of the column they are at: an exception handler and its state would enlarge the per-row
   * code past what C2 inlines into the caller.
   */
  private int failingColumn(Row row) {
    for (ColumnSlot slot = firstSlot; slot != null; slot = slot.next) {
      ColumnWriter scratch = ColumnWriter.forType(types.get(slot.column));
      scratch.reserveRows(1);
      try {
        slot.write(scratch, 0, row.getField(slot.position));
      } catch (RuntimeException e) {
        return slot.column;
      }
    }
    return -1;
  }

  /** For tests: the per-row code in use. */
  RowAdder adder() {
    return adder;
  }

  /** For tests: the columns in visit order. */
  ColumnSlot firstSlot() {
    return firstSlot;
  }

  public int rowCount() {
    return adder.rowCount;
  }

  /** Serializes the rows added since the last call and starts an empty batch. */
  public ByteString finish() {
    int rowCount = adder.rowCount;
    for (ColumnSlot slot = firstSlot; slot != null; slot = slot.next) {
      if (slot.rowIndexed()) {
        slot.writer.endRows(rowCount);
      }
    }
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
    adder.rowCount = 0;
    return UnsafeByteOperations.unsafeWrap(bytes);
  }
}
