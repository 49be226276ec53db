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

  /**
   * Writes the batch columns' values of {@code row} as row {@code r}, the writers having room for
   * it ({@link ColumnWriter#reserveRows}).
   *
   * @throws ColumnFailure for a value that cannot be sent, naming its batch column
   */
  abstract void add(Row row, int r);

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
