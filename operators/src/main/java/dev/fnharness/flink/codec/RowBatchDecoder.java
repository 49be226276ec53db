package dev.fnharness.flink.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fnharness.proto.Column;
import dev.fnharness.proto.RowBatch;
import java.util.List;

/** Turns a {@code RowBatch} from the worker into one Java value array per column. */
public final class RowBatchDecoder {

  private final List<ColumnType> types;

  public RowBatchDecoder(List<ColumnType> types) {
    this.types = List.copyOf(types);
  }

  /** Column-major values: {@code result[column][row]}, {@code null} for a null. */
  public DecodedBatch decode(ByteString data) {
    RowBatch batch;
    try {
      batch = RowBatch.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("The worker sent a malformed RowBatch", e);
    }
    if (batch.getColumnsCount() != types.size()) {
      throw new IllegalStateException(
          "The worker sent " + batch.getColumnsCount() + " columns, expected " + types.size());
    }
    int rows = batch.getRowCount();
    Object[][] columns = new Object[types.size()][];
    for (int c = 0; c < columns.length; c++) {
      columns[c] = decodeColumn(batch.getColumns(c), types.get(c), rows, c);
    }
    return new DecodedBatch(rows, columns);
  }

  private static Object[] decodeColumn(Column column, ColumnType type, int rows, int index) {
    int present =
        switch (type) {
          case BIGINT, INT -> column.getLongsCount();
          case DOUBLE -> column.getDoublesCount();
          case BOOLEAN -> column.getBoolsCount();
          case STRING -> column.getStringsCount();
        };
    if (present != rows) {
      throw new IllegalStateException(
          "The worker sent " + present + " values in column " + index + ", expected " + rows);
    }
    Object[] values = new Object[rows];
    switch (type) {
      case BIGINT -> {
        for (int r = 0; r < rows; r++) values[r] = column.getLongs(r);
      }
      case INT -> {
        for (int r = 0; r < rows; r++) values[r] = (int) column.getLongs(r);
      }
      case DOUBLE -> {
        for (int r = 0; r < rows; r++) values[r] = column.getDoubles(r);
      }
      case BOOLEAN -> {
        for (int r = 0; r < rows; r++) values[r] = column.getBools(r);
      }
      case STRING -> {
        for (int r = 0; r < rows; r++) values[r] = column.getStrings(r);
      }
    }
    ByteString nulls = column.getNulls();
    for (int byteIndex = 0; byteIndex < nulls.size(); byteIndex++) {
      int bits = nulls.byteAt(byteIndex) & 0xFF;
      while (bits != 0) {
        int row = (byteIndex << 3) + Integer.numberOfTrailingZeros(bits);
        if (row < rows) {
          values[row] = null;
        }
        bits &= bits - 1;
      }
    }
    return values;
  }

  /** One decoded batch: {@code value(column, row)}. */
  public record DecodedBatch(int rowCount, Object[][] columns) {
    public Object value(int column, int row) {
      return columns[column][row];
    }
  }
}
