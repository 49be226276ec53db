package dev.fnharness.cli;

import dev.fnharness.flink.PythonFunctionException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.types.Row;

/**
 * Fits UDF results to the declared lengths and precisions of their columns ({@code VARCHAR(3)},
 * {@code CHAR(5)}, {@code TIMESTAMP(3)}, ...), as input fields are fitted when they are read: the
 * worker knows only the base types (STRING, TIMESTAMP). A result that does not fit fails the job,
 * naming the function, the column, the value and the row's input columns.
 */
final class ResultLimits implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<Schema.Column> columns;
  private final List<String> producers;
  private final int[] limited;

  private ResultLimits(List<Schema.Column> columns, List<String> producers, int[] limited) {
    this.columns = List.copyOf(columns);
    this.producers = new ArrayList<>(producers); // holds nulls
    this.limited = limited;
  }

  /**
   * @param producers for each output column the function that makes it, null for input columns
   * @return null when no result column has a limit
   */
  static ResultLimits of(List<Schema.Column> columns, List<String> producers) {
    int[] limited =
        java.util.stream.IntStream.range(0, columns.size())
            .filter(i -> producers.get(i) != null && columns.get(i).type().hasLimit())
            .toArray();
    return limited.length == 0 ? null : new ResultLimits(columns, producers, limited);
  }

  /** The row with its limited result columns fitted, in place. */
  Row fit(Row row) {
    for (int i : limited) {
      Object value = row.getField(i);
      if (value == null) {
        continue;
      }
      ColumnType type = columns.get(i).type();
      try {
        row.setField(i, type.fit(value, Json.ROOT));
      } catch (BadValueException e) {
        throw new PythonFunctionException(
            "Python function '"
                + producers.get(i)
                + "' (output column '"
                + columns.get(i).name()
                + "') returned "
                + Json.shown(type.toJson(value))
                + ", which the "
                + type.name()
                + " column cannot hold: "
                + e.getMessage()
                + "; the row's input columns: "
                + inputColumns(row));
      }
    }
    return row;
  }

  private String inputColumns(Row row) {
    ObjectNode object = Json.NODES.objectNode();
    for (int i = 0; i < columns.size(); i++) {
      Object value = row.getField(i);
      if (producers.get(i) == null) {
        Schema.Column column = columns.get(i);
        object.set(
            column.name(), value == null ? Json.NODES.nullNode() : column.type().toJson(value));
      }
    }
    return Json.shown(object);
  }
}
