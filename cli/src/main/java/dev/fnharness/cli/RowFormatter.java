package dev.fnharness.cli;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.types.Row;

/** Output rows as lines of the output file: CSV (with a header line) or JSON objects. */
final class RowFormatter implements Serializable {

  private static final long serialVersionUID = 1L;

  private final FileFormat format;
  private final List<String> columns;
  private transient ObjectMapper mapper;

  RowFormatter(FileFormat format, List<String> columns) {
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
      line.append(i == 0 ? "" : ",").append(CsvFields.quote(columns.get(i)));
    }
    return Optional.of(line.toString());
  }

  String format(Row row) {
    return format == FileFormat.CSV ? csv(row) : json(row);
  }

  private String csv(Row row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.getArity(); i++) {
      line.append(i == 0 ? "" : ",").append(CsvFields.quote(row.getField(i)));
    }
    return line.toString();
  }

  private String json(Row row) {
    if (mapper == null) {
      mapper = new ObjectMapper();
    }
    ObjectNode object = mapper.createObjectNode();
    for (int i = 0; i < row.getArity(); i++) {
      Object value = row.getField(i);
      if (value == null || value instanceof Number || value instanceof Boolean) {
        object.putPOJO(columns.get(i), value);
      } else {
        // strings, and dates and times as their ISO text (no Jackson time module needed)
        object.put(columns.get(i), value.toString());
      }
    }
    try {
      return mapper.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write row " + row + " as JSON", e);
    }
  }
}
