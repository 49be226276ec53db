package dev.fnharness.flink.codec;

import org.apache.flink.types.Row;

/**
 * Puts one row's values into the batch columns' writers: {@link RowBatchEncoder#add}'s per-row
 * work. {@link RowAdderGenerator} compiles one per schema, a straight-line statement per column;
 * {@link SlotChainAdder} is the generic one it falls back to.
 *
 * <p>An abstract class rather than an interface: where one JVM runs operators of several schemas,
 * the encoder's call to {@link #add} sees several classes, and a megamorphic call through the
 * vtable is cheaper than one through an interface's itable.
 */
abstract class RowAdder {

  /** The columns in visit order, for {@link #reserveRows}. */
  private final ColumnSlot firstSlot;

  /** Rows added to the current batch. */
  int rowCount;

  /** Rows the row-indexed writers have room for. */
  int reservedRows;

  RowAdder(ColumnSlot firstSlot) {
    this.firstSlot = firstSlot;
  }

  /**
   * Writes the batch columns' values of {@code row} as the next row: {@link #reserveRows} when
   * the writers are full, a call per column, then {@link #rowCount} counted. The count and the
   * room check live here rather than in the encoder so that one call per row does all of a
   * row's work, whether C2 inlines this method into its caller or not.
   *
   * @throws ColumnFailure for a value that cannot be sent, naming its batch column
   */
  abstract void add(Row row);

  /** Doubles the room of the writers filled by row index (at least 64 rows). */
  final void reserveRows() {
    reservedRows = Math.max(64, reservedRows * 2);
    for (ColumnSlot slot = firstSlot; slot != null; slot = slot.next) {
      if (slot.rowIndexed()) {
        slot.writer.reserveRows(reservedRows);
      }
    }
  }

  /**
   * A value could not be written: which batch column, and why. Only a carrier from the adder to
   * the encoder, which turns it into the error the user sees; so without a stack trace of its own.
   */
  static final class ColumnFailure extends RuntimeException {

    final int column;

    ColumnFailure(int column, RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
      this.column = column;
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) super.getCause();
    }
  }
}
