package dev.fnharness.cli;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.types.Row;

/**
 * JSON lines: one object per line, its keys the column names. A missing key or {@code null} is
 * null; keys that are not columns are ignored.
 */
final class JsonLineParser implements LineParser {

  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private transient ObjectMapper mapper;

  JsonLineParser(Schema schema) {
    this.schema = schema;
  }

  @Override
  public Row parse(String line) throws BadLineException {
    JsonNode object = read(line);
    if (!object.isObject()) {
      throw new BadLineException("expected a JSON object, found " + object.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    Row row = new Row(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      Schema.Column column = schema.column(i);
      JsonNode value = object.get(column.name());
      if (value == null || value.isNull()) {
        continue;
      }
      if (value.isContainerNode()) {
        throw new BadLineException(
            "'"
                + column.name()
                + "' ("
                + column.type().name()
                + ") is a JSON "
                + (value.isArray() ? "array" : "object")
                + ": "
                + value);
      }
      row.setField(i, LineParser.value(column, i, value.asText()));
    }
    return row;
  }

  private JsonNode read(String line) throws BadLineException {
    if (mapper == null) {
      mapper = new ObjectMapper();
    }
    try {
      return mapper.readTree(line);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null ? "" : " at character " + e.getLocation().getColumnNr();
      throw new BadLineException("malformed JSON" + where + ": " + e.getOriginalMessage());
    }
  }
}
