package dev.fnharness.flink.codec;

import org.apache.flink.types.Row;

/**
 * The generic {@link RowAdder}: walks the chain of column slots and switches on each slot's
 * writer path. Used where no class could be generated for the schema (see {@link
 * RowAdderGenerator}); the generated adders make the same calls in the same order.
 */
final class SlotChainAdder extends RowAdder {

  private final ColumnSlot firstSlot;

  /** @param firstSlot the first column to visit, or null for a batch of no columns */
  SlotChainAdder(ColumnSlot firstSlot) {
    super(firstSlot);
    this.firstSlot = firstSlot;
  }

  @Override
  void add(Row row) {
    int r = rowCount;
    if (r == reservedRows) {
      reserveRows();
    }
    ColumnSlot slot = firstSlot;
    try {
      for (; slot != null; slot = slot.next) {
        Object value = row.getField(slot.position);
        // Cast to the writer's final class, each call is bound statically and inlined; a
        // virtual add() per value was most of the encoding cost.
        switch (slot.path) {
          case ColumnSlot.NUMBER -> ((LongColumnWriter) slot.writer).setNumber(r, value);
          case ColumnSlot.DOUBLE -> ((DoubleColumnWriter) slot.writer).setDouble(r, value);
          case ColumnSlot.BOOLEAN -> ((BooleanColumnWriter) slot.writer).setBoolean(r, value);
          case ColumnSlot.STRING -> ((StringColumnWriter) slot.writer).setString(r, value);
          case ColumnSlot.TEMPORAL -> ((LongColumnWriter) slot.writer).add(value);
          default -> slot.writer.add(value);
        }
      }
    } catch (RuntimeException e) {
      throw new ColumnFailure(slot.column, e);
    }
    rowCount = r + 1;
  }
}
