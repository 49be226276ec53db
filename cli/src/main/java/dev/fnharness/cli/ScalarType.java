package dev.fnharness.cli;

import java.io.Serializable;
import java.math.BigDecimal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * A type whose values are one CSV field or one JSON scalar: numbers, booleans, text, bytes, dates
 * and times (the table is in {@link ColumnTypes}). Each has a reader (the text of a field to a
 * value), a writer (a value to that text) and a limit (what a declared length or precision does to
 * a value, for input and UDF results alike: {@code VARCHAR(3)} refuses {@code 'abcd'}, {@code
 * TIMESTAMP(3)} drops microseconds).
 *
 * @param json how values look in JSON
 */
record ScalarType(
    String name,
    TypeInformation<?> typeInfo,
    JsonForm json,
    ValueReader reader,
    ValueWriter writer,
    Limit limit)
    implements ColumnType {

  /** How a type's values are JSON: numbers and booleans as such, the rest as strings. */
  enum JsonForm {
    NUMBER,
    BOOLEAN,
    /** A JSON string; a JSON number or boolean is read as its text too. */
    TEXT,
    /** A JSON string only: bytes as base64, where a JSON number would decode by accident. */
    STRICT_TEXT
  }

  /** Text to value; throws {@link IllegalArgumentException} for bad text. */
  @FunctionalInterface
  interface ValueReader extends Serializable {
    Object read(String text);
  }

  /** A value (not null) to the text {@link ValueReader} reads back. */
  @FunctionalInterface
  interface ValueWriter extends Serializable {
    String write(Object value);
  }

  /**
   * A value (not null) made to fit a declared length or precision: returned as it is, changed
   * (padded, truncated to the precision), or refused with a {@link BadValueException} saying why.
   */
  @FunctionalInterface
  interface Limit extends Serializable {
    Limit NONE = NoLimit.INSTANCE;

    Object apply(Object value);
  }

  /** An enum, so that the one instance stays one through Java serialization. */
  private enum NoLimit implements Limit {
    INSTANCE;

    @Override
    public Object apply(Object value) {
      return value;
    }
  }

  /** A type without a declared length or precision, whose values are written by toString. */
  ScalarType(String name, TypeInformation<?> typeInfo, JsonForm json, ValueReader reader) {
    this(name, typeInfo, json, reader, String::valueOf, Limit.NONE);
  }

  /** The same values with a declared length or precision, e.g. VARCHAR(3) of STRING. */
  ScalarType limited(String limitedName, Limit newLimit) {
    return new ScalarType(limitedName, typeInfo, json, reader, writer, newLimit);
  }

  @Override
  public Object parse(String text) {
    return limit.apply(reader.read(text));
  }

  @Override
  public boolean hasLimit() {
    return limit != Limit.NONE;
  }

  @Override
  public Object fit(Object value, String path) {
    try {
      return limit.apply(value);
    } catch (BadValueException e) {
      throw new BadValueException(BadValueException.at(path) + e.getMessage());
    }
  }

  /** A JSON scalar, parsed as the text of a CSV field would be. */
  @Override
  public Object fromJson(JsonNode node, String path) {
    if (node.isContainerNode() || (json == JsonForm.STRICT_TEXT && !node.isTextual())) {
      throw new BadValueException(
          BadValueException.at(path)
              + "expected a "
              + name
              + (json == JsonForm.STRICT_TEXT ? " as a JSON string" : "")
              + ", found "
              + Json.kind(node));
    }
    try {
      return parse(node.asText());
    } catch (BadValueException e) {
      throw new BadValueException(
          BadValueException.at(path)
              + Json.shown(node)
              + " is not a "
              + name
              + ": "
              + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new BadValueException(
          BadValueException.at(path) + Json.shown(node) + " is not a " + name);
    }
  }

  @Override
  public JsonNode toJson(Object value) {
    return switch (json) {
      case NUMBER -> number(value);
      case BOOLEAN -> Json.NODES.booleanNode((Boolean) value);
      case TEXT, STRICT_TEXT -> Json.NODES.textNode(writer.write(value));
    };
  }

  private static JsonNode number(Object value) {
    if (value instanceof Double n) {
      return Json.NODES.numberNode(n); // NaN and infinities are written as strings "NaN", ...
    }
    if (value instanceof Float n) {
      return Json.NODES.numberNode(n);
    }
    if (value instanceof BigDecimal n) {
      return Json.NODES.numberNode(n);
    }
    return Json.NODES.numberNode(((Number) value).longValue());
  }

  @Override
  public String format(Object value) {
    return writer.write(value);
  }
}
