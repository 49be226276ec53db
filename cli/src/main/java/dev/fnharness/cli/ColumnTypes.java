package dev.fnharness.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The type names of {@code --schema} and of UDF result types, and how a text field becomes a
 * value of each. Every name goes through {@link #of}, so a new type is one line in {@link #TYPES}.
 */
public final class ColumnTypes {

  /** A type name, its Flink type, and how to read a value of it from text. */
  public record ColumnType(String name, TypeInformation<?> typeInfo, ValueParser parser)
      implements java.io.Serializable {}

  /** Text to value; throws {@link IllegalArgumentException} with a message for bad text. */
  @FunctionalInterface
  public interface ValueParser extends java.io.Serializable {
    Object parse(String text);
  }

  private static final Map<String, ColumnType> TYPES = new LinkedHashMap<>();

  static {
    add("BIGINT", Types.LONG, text -> Long.parseLong(text.trim()));
    add("INT", Types.INT, text -> Integer.parseInt(text.trim()));
    add("DOUBLE", Types.DOUBLE, text -> Double.parseDouble(text.trim()));
    add("BOOLEAN", Types.BOOLEAN, ColumnTypes::parseBoolean);
    add("STRING", Types.STRING, text -> text);
    add("TINYINT", Types.BYTE, text -> Byte.parseByte(text.trim()));
    add("SMALLINT", Types.SHORT, text -> Short.parseShort(text.trim()));
    add("FLOAT", Types.FLOAT, text -> Float.parseFloat(text.trim()));
    add("DECIMAL", Types.BIG_DEC, text -> new BigDecimal(text.trim()));
    add("DATE", Types.LOCAL_DATE, text -> time(() -> LocalDate.parse(text.trim())));
    add("TIME", Types.LOCAL_TIME, text -> time(() -> LocalTime.parse(text.trim())));
    // "2026-11-21 10:15:00" as SQL writes it, or ISO's "2026-11-21T10:15:00"
    add(
        "TIMESTAMP",
        Types.LOCAL_DATE_TIME,
        text -> time(() -> LocalDateTime.parse(text.trim().replace(' ', 'T'))));
    add("TIMESTAMP_LTZ", Types.INSTANT, text -> time(() -> Instant.parse(text.trim())));
    alias("INTEGER", "INT");
    alias("VARCHAR", "STRING");
  }

  private ColumnTypes() {}

  /**
   * @param name a type name in any case, e.g. {@code BIGINT} or {@code string}
   * @throws IllegalArgumentException naming the known types when {@code name} is not one
   */
  public static ColumnType of(String name) {
    ColumnType type = TYPES.get(name.trim().toUpperCase(Locale.ROOT));
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown type '" + name.trim() + "'; known types: " + String.join(", ", TYPES.keySet()));
    }
    return type;
  }

  private static void add(String name, TypeInformation<?> typeInfo, ValueParser parser) {
    TYPES.put(name, new ColumnType(name, typeInfo, parser));
  }

  private static void alias(String alias, String name) {
    TYPES.put(alias, TYPES.get(name));
  }

  /** Date and time parse errors as the IllegalArgumentException every parser throws. */
  private static Object time(java.util.function.Supplier<Object> parse) {
    try {
      return parse.get();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Boolean parseBoolean(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return Boolean.TRUE;
    }
    if (t.equals("false")) {
      return Boolean.FALSE;
    }
    throw new IllegalArgumentException("expected true or false");
  }
}
