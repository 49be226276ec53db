package dev.fnharness.cli;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.types.Row;

/**
 * JSON lines: one object per line, its keys the column names. A missing key or {@code null} is
 * null; keys that are not columns are ignored. ARRAY, MAP and ROW columns take JSON arrays and
 * objects ({@link ColumnType#fromJson}); other columns take a number, string or boolean, read as
 * the text of a CSV field (BYTES only a string, of base64). {@code NaN} and {@code Infinity} are
 * read as Python's json module writes them ({@link Json}).
 */
final class JsonLineParser implements LineParser {

  private static final long serialVersionUID = 1L;

  private final Schema schema;

  JsonLineParser(Schema schema) {
    this.schema = schema;
  }

  @Override
  public Row parse(String line) throws BadLineException {
    JsonNode object = read(line);
    if (!object.isObject()) {
      throw new BadLineException(
          "expected a JSON object, found "
              + object.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    Row row = new Row(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      Schema.Column column = schema.column(i);
      JsonNode value = object.get(column.name());
      if (value == null || value.isNull()) {
        continue;
      }
      if (!(column.type() instanceof ScalarType)) {
        row.setField(i, LineParser.value(column, i, value));
        continue;
      }
      boolean strict = ((ScalarType) column.type()).json() == ScalarType.JsonForm.STRICT_TEXT;
      if (value.isContainerNode() || (strict && !value.isTextual())) {
        throw new BadLineException(
            "'"
                + column.name()
                + "' ("
                + column.type().name()
                + ") is a JSON "
                + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + ": "
                + Json.shown(value)
                + (strict ? "; expected a JSON string of base64" : ""));
      }
      row.setField(i, LineParser.value(column, i, value.asText()));
    }
    return row;
  }

  private static JsonNode read(String line) throws BadLineException {
    try {
      return Json.read(line);
    } catch (JsonProcessingException e) {
      throw new BadLineException(Json.malformed(e));
    }
  }
}
