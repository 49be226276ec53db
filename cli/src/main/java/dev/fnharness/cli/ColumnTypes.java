package dev.fnharness.cli;

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
