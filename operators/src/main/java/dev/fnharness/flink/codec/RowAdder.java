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

  /** The columns in visit order, or null for a batch of no columns. */
  final ColumnSlot firstSlot;

  /** Rows added to the current batch. */
  int rowCount;

  /** Rows the row-indexed writers have room for. */
  int reservedRows;

  RowAdder(ColumnSlot firstSlot) {
    this.firstSlot = firstSlot;
  }

  /**
   * Writes the batch columns' values of {@code row} as the next row: {@link #reserveRows} when the
   * writers are full, a call per column, then {@link #rowCount} counted. The count and the room
   * check live here rather than in the encoder so that one call per row does all of a row's work,
   * whether C2 inlines this method into its caller or not.
   *
   * @throws RuntimeException for a value that cannot be sent; {@link RowBatchEncoder} finds its
   *     column by replaying the row, so that the per-row code keeps no record of where it is
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
}
