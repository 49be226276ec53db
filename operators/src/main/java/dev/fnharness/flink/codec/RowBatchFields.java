package dev.fnharness.flink.codec;

import dev.fnharness.proto.Column;
import dev.fnharness.proto.RowBatch;

/** Field numbers of RowBatch and Column, taken from the generated classes so they cannot drift. */
final class RowBatchFields {

  private RowBatchFields() {}

  static final int BATCH_ROW_COUNT = RowBatch.ROW_COUNT_FIELD_NUMBER;
  static final int BATCH_COLUMNS = RowBatch.COLUMNS_FIELD_NUMBER;
  static final int COLUMN_NULLS = Column.NULLS_FIELD_NUMBER;
  static final int COLUMN_LONGS = Column.LONGS_FIELD_NUMBER;
  static final int COLUMN_DOUBLES = Column.DOUBLES_FIELD_NUMBER;
  static final int COLUMN_BOOLS = Column.BOOLS_FIELD_NUMBER;
  static final int COLUMN_STRINGS = Column.STRINGS_FIELD_NUMBER;
  static final int COLUMN_FLOATS = Column.FLOATS_FIELD_NUMBER;
  static final int COLUMN_BINARIES = Column.BINARIES_FIELD_NUMBER;
  static final int COLUMN_LENGTHS = Column.LENGTHS_FIELD_NUMBER;
  static final int COLUMN_CHILDREN = Column.CHILDREN_FIELD_NUMBER;
}
