package dev.fnharness.cli;

import dev.fnharness.flink.PythonTypes;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
 * The scalar type names of {@code --schema} and of UDF result types, and how a text field becomes a
 * value of each. Every name goes through {@link #of}, so a new type is one line in {@link #TYPES}.
 * The parameterized and nested types are read by {@link TypeParser}.
 */
final class ColumnTypes {

  /** The types {@link TypeParser} reads besides the names of {@link #TYPES}. */
  static final String PARAMETERIZED = "DECIMAL(p, s), ARRAY<T>, MAP<K, V>, ROW<name T, ...>";

  private static final Map<String, ScalarType> TYPES = new LinkedHashMap<>();

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
   * @param name a scalar type name in any case, e.g. {@code BIGINT} or {@code string}
   * @throws IllegalArgumentException naming the known types when {@code name} is not one
   */
  static ScalarType of(String name) {
    ScalarType type = TYPES.get(name.trim().toUpperCase(Locale.ROOT));
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown type '"
              + name.trim()
              + "'; known types: "
              + String.join(", ", TYPES.keySet())
              + ", "
              + PARAMETERIZED);
    }
    return type;
  }

  /**
   * {@code DECIMAL(p, s)}: values are rounded half-up to {@code s} decimals, as Python results of
   * the type are, and a value that then needs more than {@code p} digits is refused.
   *
   * @throws IllegalArgumentException for a precision below 1 or a scale outside [0, precision]
   */
  static ScalarType decimal(int precision, int scale) {
    TypeInformation<BigDecimal> typeInfo = PythonTypes.DECIMAL(precision, scale);
    return new ScalarType(
        "DECIMAL(" + precision + ", " + scale + ")",
        typeInfo,
        text -> fit(new BigDecimal(text.trim()), precision, scale));
  }

  private static BigDecimal fit(BigDecimal exact, int precision, int scale) {
    // Digits before the point, looked at before setScale: rescaling 1e999999999 or 1e-999999999
    // would compute with a billion-digit number.
    long integerDigits = (long) exact.precision() - exact.scale(); // long: scale may be -2^31
    if (integerDigits < -scale) {
      return BigDecimal.ZERO.setScale(scale); // less than half the last digit: rounds to 0
    }
    if (integerDigits <= precision - scale) {
      BigDecimal value = exact.setScale(scale, RoundingMode.HALF_UP);
      if (value.precision() <= precision) {
        return value;
      }
    }
    throw new BadValueException(
        "it needs more than " + precision + " digits with " + scale + " after the point");
  }

  private static void add(String name, TypeInformation<?> typeInfo, ScalarType.ValueParser parser) {
    TYPES.put(name, new ScalarType(name, typeInfo, parser));
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
