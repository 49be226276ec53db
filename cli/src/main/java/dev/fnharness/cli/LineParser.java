package dev.fnharness.cli;

import java.io.Serializable;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.types.Row;

/** Turns one input line into a row of the schema. */
interface LineParser extends Serializable {

  /**
   * @throws BadLineException saying which field is wrong and why (without the line number)
   */
  Row parse(String line) throws BadLineException;

  /** Where the format's records end: a new instance for each reader. */
  default RecordFraming framing() {
    return RecordFraming.ONE_LINE;
  }

  /** Whether the first record of the file is a header to skip rather than data. */
  default boolean isHeader(String firstLine) {
    return false;
  }

  /** A field's text as a value of its column's type, or an error naming field and column. */
  static Object value(Schema.Column column, int field, String text) throws BadLineException {
    if (text == null) {
      return null;
    }
    try {
      return column.type().parse(text);
    } catch (IllegalArgumentException e) {
      throw notA(column, field, "'" + text + "'", e);
    }
  }

  /** A field's JSON value (not JSON null) as a value of its column's nested type. */
  static Object value(Schema.Column column, int field, JsonNode json) throws BadLineException {
    try {
      return column.type().fromJson(json, Json.ROOT);
    } catch (IllegalArgumentException e) {
      throw notA(column, field, Json.shown(json), e);
    }
  }

  /** {@code field 2 'size' (BIGINT): 'abc' is not a BIGINT}, with the reason when it has one. */
  private static BadLineException notA(
      Schema.Column column, int field, String shown, IllegalArgumentException e) {
    String type = column.type().name();
    return new BadLineException(
        "field "
            + (field + 1)
            + " '"
            + column.name()
            + "' ("
            + type
            + "): "
            + shown
            + " is not a "
            + type
            + (e instanceof BadValueException ? ": " + e.getMessage() : ""));
  }
}
