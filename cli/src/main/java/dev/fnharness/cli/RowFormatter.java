package dev.fnharness.cli;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.types.Row;

/**
 * Output rows as lines of the output file: CSV (with a header line) or JSON objects. Each value is
 * written by its column's type: in CSV scalars as text and nested values as their JSON, in JSON
 * lines as JSON numbers, booleans, strings (dates and times in ISO form), arrays and objects.
 */
final class RowFormatter implements Serializable {

  private static final long serialVersionUID = 1L;

  private final FileFormat format;
  private final List<Schema.Column> columns;

  RowFormatter(FileFormat format, List<Schema.Column> columns) {
    this.format = format;
    this.columns = List.copyOf(columns);
  }

  /** The line before the rows, if the format has one. */
  Optional<String> header() {
    if (format != FileFormat.CSV) {
      return Optional.empty();
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      line.append(i == 0 ? "" : ",").append(CsvFields.quote(columns.get(i).name()));
    }
    return Optional.of(line.toString());
  }

  String format(Row row) {
    return format == FileFormat.CSV ? csv(row) : json(row);
  }

  private String csv(Row row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.getArity(); i++) {
      Object value = row.getField(i);
      line.append(i == 0 ? "" : ",")
          .append(CsvFields.quote(value == null ? null : columns.get(i).type().format(value)));
    }
    return line.toString();
  }

  private String json(Row row) {
    ObjectNode object = Json.NODES.objectNode();
    for (int i = 0; i < row.getArity(); i++) {
      Object value = row.getField(i);
      Schema.Column column = columns.get(i);
      object.set(
          column.name(), value == null ? Json.NODES.nullNode() : column.type().toJson(value));
    }
    return Json.write(object);
  }
}
