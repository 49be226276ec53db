package dev.fnharness.cli;

import java.io.Serializable;
import org.apache.flink.types.Row;

/** Turns one input line into a row of the schema. */
interface LineParser extends Serializable {

  /** @throws BadLineException saying which field is wrong and why (without the line number) */
  Row parse(String line) throws BadLineException;

  /** Whether the first line of the file is a header to skip rather than data. */
  default boolean isHeader(String firstLine) {
    return false;
  }

  /** A field's text as a value of its column's type, or an error naming field and column. */
  static Object value(Schema.Column column, int field, String text) throws BadLineException {
    if (text == null) {
      return null;
    }
    try {
      return column.type().parser().parse(text);
    } catch (IllegalArgumentException e) {
      throw new BadLineException(
          "field "
              + (field + 1)
              + " '"
              + column.name()
              + "' ("
              + column.type().name()
              + "): '"
              + text
              + "' is not a "
              + column.type().name());
    }
  }
}
