package dev.fnharness.cli;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.json.JsonReadFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one JSON reader and writer of the CLI, for JSON lines and for nested values in CSV fields.
 * Numbers with a fraction or exponent are read as {@code BigDecimal}, so DECIMAL values keep their
 * digits and scale ({@code 12.50} stays {@code 12.50}); text after the value is an error. The
 * non-standard {@code NaN}, {@code Infinity}, {@code -Infinity} (and {@code +Infinity}, {@code
 * -INF}, {@code +INF}) that Python's json module and Spark write are read as those doubles; on
 * output they are written as the JSON strings {@code "NaN"}, {@code "Infinity"}, {@code
 * "-Infinity"}, which every JSON reader takes and which are read back as the same values.
 */
final class Json {

  /** The JSONPath of a whole field. */
  static final String ROOT = "$";

  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private static final int SHOWN_CHARACTERS = 80;

  // Thread-safe once built; static, so the serializable parsers and formatters need no copy.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .nodeFactory(NODES)
          .build();

  private Json() {}

  static JsonNode read(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /** A JSON text's value, or a {@link BadValueException} saying where it is malformed. */
  static JsonNode readValue(String text) {
    try {
      return read(text);
    } catch (JsonProcessingException e) {
      throw new BadValueException(malformed(e));
    }
  }

  /** {@code malformed JSON at character 12: ...} */
  static String malformed(JsonProcessingException e) {
    String where = e.getLocation() == null ? "" : " at character " + e.getLocation().getColumnNr();
    return "malformed JSON" + where + ": " + e.getOriginalMessage();
  }

  /** Compact JSON text. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + node + " as JSON", e);
    }
  }

  /** A JSON value for an error message, cut when long. */
  static String shown(JsonNode node) {
    String text = node.toString();
    return text.length() <= SHOWN_CHARACTERS
        ? text
        : text.substring(0, SHOWN_CHARACTERS) + "... (" + text.length() + " characters)";
  }

  /** What kind of JSON value a node is, for "expected a JSON array, found ..." messages. */
  static String kind(JsonNode node) {
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return shown(node);
  }
}
