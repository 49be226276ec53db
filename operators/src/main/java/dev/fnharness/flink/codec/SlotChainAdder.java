package dev.fnharness.flink.codec;

import org.apache.flink.types.Row;

/**
 * The generic {@link RowAdder}: walks the chain of column slots and switches on each slot's writer
 * path. Used where no class could be generated for the schema (see {@link RowAdderGenerator}); the
 * generated adders make the same calls in the same order.
 */
final class SlotChainAdder extends RowAdder {

  /**
   * @param firstSlot the first column to visit, or null for a batch of no columns
   */
  SlotChainAdder(ColumnSlot firstSlot) {
    super(firstSlot);
  }

  @Override
  void add(Row row) {
    int r = rowCount;
    if (r == reservedRows) {
      reserveRows();
    }
    for (ColumnSlot slot = firstSlot; slot != null; slot = slot.next) {
      slot.write(slot.writer, r, row.getField(slot.position));
    }
    rowCount = r + 1;
  }
}
