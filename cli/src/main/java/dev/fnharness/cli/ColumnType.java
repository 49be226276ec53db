package dev.fnharness.cli;

import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * A type of {@code --schema} or of a UDF result: its name, its Flink type, and how its values are
 * read from and written to CSV fields and JSON. Scalars are {@link ScalarType}s; ARRAY, MAP and ROW
 * values ({@link ArrayType}, {@link MapType}, {@link RowType}) are JSON, in a CSV field too.
 */
interface ColumnType extends Serializable {

  /** As error messages and {@code --help} write it, e.g. {@code BIGINT}, {@code ARRAY<INT>}. */
  String name();

  TypeInformation<?> typeInfo();

  /**
   * A CSV field's text (not null) as a value of this type: for nested types the value's JSON, in
   * which {@code null} is null.
   *
   * @throws IllegalArgumentException when the text is not one; a {@link BadValueException} says
   *     why, other exceptions' messages are not for users
   */
  default Object parse(String text) {
    JsonNode node = Json.readValue(text);
    return node.isNull() ? null : fromJson(node, Json.ROOT);
  }

  /**
   * A JSON value (not JSON null) as a value of this type.
   *
   * @param path where the value is, in JSONPath form ({@code $} is the field, {@code $[2].a} a
   *     field of an array element), for the error message
   * @throws BadValueException naming the path when the JSON does not fit
   */
  Object fromJson(JsonNode node, String path);

  /** A value (not null) as JSON: for JSON-lines output and for the values inside nested ones. */
  JsonNode toJson(Object value);

  /** A value (not null) as the text of a CSV field, before CSV quoting: for nested types JSON. */
  default String format(Object value) {
    return Json.write(toJson(value));
  }

  /**
   * Whether the type, or a type inside it, declares a length or precision ({@code VARCHAR(3)},
   * {@code TIMESTAMP(3)}), so that values from Python must be fitted to it by {@link #fit}.
   */
  boolean hasLimit();

  /**
   * A value (not null), e.g. a UDF's result, fitted to the declared lengths and precisions of the
   * type and the types inside it, as {@link #parse} fits input: a new value when one changes.
   *
   * @param path where the value is, as for {@link #fromJson}
   * @throws BadValueException naming the path when a value does not fit
   */
  Object fit(Object value, String path);
}
