package dev.fnharness.cli;

import java.io.Serializable;
import java.math.BigDecimal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * A type whose values are one CSV field or one JSON scalar: numbers, booleans, text, dates and
 * times (the table is in {@link ColumnTypes}). Written back as {@code String.valueOf} in CSV and as
 * JSON numbers, booleans or (dates and times: ISO) strings.
 */
record ScalarType(String name, TypeInformation<?> typeInfo, ValueParser parser)
    implements ColumnType {

  /** Text to value; throws {@link IllegalArgumentException} for bad text. */
  @FunctionalInterface
  interface ValueParser extends Serializable {
    Object parse(String text);
  }

  @Override
  public Object parse(String text) {
    return parser.parse(text);
  }

  /** A JSON number, string or boolean as its text, parsed as a CSV field would be. */
  @Override
  public Object fromJson(JsonNode node, String path) {
    if (node.isContainerNode()) {
      throw new BadValueException(
          BadValueException.at(path) + "expected a " + name + ", found " + Json.kind(node));
    }
    try {
      return parser.parse(node.asText());
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
    if (value instanceof Boolean b) {
      return Json.NODES.booleanNode(b);
    }
    if (value instanceof Long n) {
      return Json.NODES.numberNode(n);
    }
    if (value instanceof Integer n) {
      return Json.NODES.numberNode(n);
    }
    if (value instanceof Short n) {
      return Json.NODES.numberNode(n);
    }
    if (value instanceof Byte n) {
      return Json.NODES.numberNode(n);
    }
    if (value instanceof Double n) {
      return Json.NODES.numberNode(n);
    }
    if (value instanceof Float n) {
      return Json.NODES.numberNode(n);
    }
    if (value instanceof BigDecimal n) {
      return Json.NODES.numberNode(n);
    }
    return Json.NODES.textNode(value.toString());
  }

  @Override
  public String format(Object value) {
    return String.valueOf(value);
  }
}
