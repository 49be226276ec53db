package dev.fnharness.flink.codec;

/**
 * One batch column as the encoder visits it: where its value comes from, which writer path takes
 * it, and the next column to visit. {@link RowAdderGenerator} writes one statement per slot; {@link
 * SlotChainAdder} walks the chain.
 *
 * <p>The columns form a chain rather than an array because the generic adder walks only a handful
 * of them per row: over a chain the JIT emits one plain loop, where a counted loop over an array
 * gets a pre-loop, an unrolled main loop and a post-loop whose set-up costs more than the few
 * iterations (benchmarks/RESULTS.md, MIXED encode).
 */
final class ColumnSlot {

  /** Writer paths {@code add} calls on the writer's final class, so the JIT inlines them. */
  static final byte NUMBER = 1;

  static final byte DOUBLE = 2;
  static final byte BOOLEAN = 3;
  static final byte STRING = 4;

  /** Dates and times: {@link LongColumnWriter#add}, appended rather than by row index. */
  static final byte TEMPORAL = 5;

  /** Any other writer, through its virtual {@link ColumnWriter#add}. */
  static final byte OTHER = 0;

  /** The batch column's index. */
  final int column;

  /** The input row's field the value is taken from. */
  final int position;

  final byte path;
  final ColumnWriter writer;
  ColumnSlot next;

  ColumnSlot(int column, int position, ColumnWriter writer) {
    this.column = column;
    this.position = position;
    this.writer = writer;
    this.path = pathOf(writer);
  }

  /**
   * Writes {@code value} as row {@code r} of {@code writer} (this slot's, or a fresh one of the
   * same type), by this slot's path: on the writer's final class, so each call is bound statically
   * and inlined (a virtual add() per value was most of the encoding cost).
   */
  void write(ColumnWriter writer, int r, Object value) {
    switch (path) {
      case NUMBER -> ((LongColumnWriter) writer).setNumber(r, value);
      case DOUBLE -> ((DoubleColumnWriter) writer).setDouble(r, value);
      case BOOLEAN -> ((BooleanColumnWriter) writer).setBoolean(r, value);
      case STRING -> ((StringColumnWriter) writer).setString(r, value);
      case TEMPORAL -> ((LongColumnWriter) writer).add(value);
      default -> writer.add(value);
    }
  }

  /** True for the writers filled by row index ({@link ColumnWriter#reserveRows}). */
  boolean rowIndexed() {
    return path != OTHER && path != TEMPORAL;
  }

  private static byte pathOf(ColumnWriter writer) {
    if (writer instanceof LongColumnWriter longs) {
      return longs.isNumber() ? NUMBER : TEMPORAL;
    } else if (writer instanceof DoubleColumnWriter) {
      return DOUBLE;
    } else if (writer instanceof BooleanColumnWriter) {
      return BOOLEAN;
    } else if (writer.getClass() == StringColumnWriter.class) {
      return STRING;
    }
    return OTHER;
  }
}
