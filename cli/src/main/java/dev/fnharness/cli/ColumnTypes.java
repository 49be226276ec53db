package dev.fnharness.cli;

import static dev.fnharness.cli.ScalarType.JsonForm.BOOLEAN;
import static dev.fnharness.cli.ScalarType.JsonForm.NUMBER;
import static dev.fnharness.cli.ScalarType.JsonForm.STRICT_TEXT;
import static dev.fnharness.cli.ScalarType.JsonForm.TEXT;

import dev.fnharness.flink.PythonTypes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The scalar types of {@code --schema} and of UDF result types: each name, its Flink type, how a
 * text field becomes a value and back, and what its parameters ({@code VARCHAR(n)}, {@code
 * TIMESTAMP(p)}) mean. Every scalar type name goes through {@link #of}, so a new type is one entry
 * in the table below. The nested types are read by {@link TypeParser}.
 *
 * <p>Parameters mean what they mean in Flink SQL, with one difference: where Flink's CAST cuts a
 * value that is too long, input and results are refused instead, so that nothing is lost unseen.
 */
final class ColumnTypes {

  static final TypeInformation<?> BYTES_TYPE = Types.PRIMITIVE_ARRAY(Types.BYTE);

  private static final String NESTED = "ARRAY<T>, MAP<K, V>, ROW<name T, ...>";
  private static final int MAX_LENGTH = Integer.MAX_VALUE;
  private static final int MAX_FRACTION_DIGITS = 9;

  /**
   * A type name and what it stands for: the type it is alone, and how parameters in parentheses
   * make another.
   *
   * @param parameters as help and errors write them, e.g. {@code "(p, s)"}; empty when none
   */
  private record Family(
      String name, ScalarType bare, String parameters, int maxParameters, Maker maker) {}

  @FunctionalInterface
  private interface Maker {
    /** A type of the family from 1 to maxParameters values; IllegalArgumentException if bad. */
    ScalarType make(String name, List<Integer> values);
  }

  private static final Map<String, Family> FAMILIES = new LinkedHashMap<>();

  static {
    plain(new ScalarType("TINYINT", Types.BYTE, NUMBER, text -> Byte.parseByte(text.trim())));
    plain(new ScalarType("SMALLINT", Types.SHORT, NUMBER, text -> Short.parseShort(text.trim())));
    plain(new ScalarType("INT", Types.INT, NUMBER, text -> Integer.parseInt(text.trim())));
    alias("INTEGER", "INT");
    plain(new ScalarType("BIGINT", Types.LONG, NUMBER, text -> Long.parseLong(text.trim())));
    plain(new ScalarType("FLOAT", Types.FLOAT, NUMBER, ScalarValues::readFloat));
    plain(new ScalarType("DOUBLE", Types.DOUBLE, NUMBER, ScalarValues::readDouble));
    family(
        new ScalarType("DECIMAL", Types.BIG_DEC, NUMBER, text -> new BigDecimal(text.trim())),
        "(p, s)",
        2,
        ColumnTypes::decimal);
    alias("DEC", "DECIMAL");
    alias("NUMERIC", "DECIMAL");
    plain(new ScalarType("BOOLEAN", Types.BOOLEAN, BOOLEAN, ScalarValues::readBoolean));

    ScalarType string = new ScalarType("STRING", Types.STRING, TEXT, text -> text);
    plain(string);
    // Flink SQL: VARCHAR alone is STRING, CHAR alone CHAR(1)
    family("VARCHAR", string, length(string, ScalarValues::maxCharacters));
    family("CHAR", 1, length(string, ScalarValues::fixedCharacters));

    ScalarType bytes =
        new ScalarType(
            "BYTES",
            BYTES_TYPE,
            STRICT_TEXT,
            ScalarValues::readBase64,
            ScalarValues::writeBase64,
            ScalarType.Limit.NONE);
    plain(bytes);
    // Flink SQL: VARBINARY alone is BYTES, BINARY alone BINARY(1)
    family("VARBINARY", bytes, length(bytes, ScalarValues::maxBytes));
    family("BINARY", 1, length(bytes, ScalarValues::fixedBytes));

    plain(
        new ScalarType(
            "DATE",
            Types.LOCAL_DATE,
            TEXT,
            text -> ScalarValues.time(() -> LocalDate.parse(text.trim()))));
    // Flink SQL: TIME alone is TIME(0), TIMESTAMP and TIMESTAMP_LTZ alone have 6 digits
    fractional(
        new ScalarType(
            "TIME",
            Types.LOCAL_TIME,
            TEXT,
            text -> ScalarValues.time(() -> LocalTime.parse(text.trim()))),
        0);
    fractional(
        new ScalarType("TIMESTAMP", Types.LOCAL_DATE_TIME, TEXT, ScalarValues::readTimestamp), 6);
    fractional(
        new ScalarType(
            "TIMESTAMP_LTZ",
            Types.INSTANT,
            TEXT,
            text -> ScalarValues.time(() -> Instant.parse(text.trim()))),
        6);
  }

  private ColumnTypes() {}

  /**
   * @param name a scalar type name in any case, e.g. {@code BIGINT} or {@code string}
   * @throws IllegalArgumentException naming the known types when {@code name} is not one
   */
  static ScalarType of(String name) {
    return of(name, List.of());
  }

  /**
   * @param parameters the numbers in parentheses after the name, none for the name alone
   * @throws IllegalArgumentException for an unknown name, or parameters the type does not take
   */
  static ScalarType of(String name, List<Integer> parameters) {
    Family family = FAMILIES.get(name.trim().toUpperCase(Locale.ROOT));
    if (family == null) {
      throw new IllegalArgumentException(
          "unknown type '" + name.trim() + "'; known types: " + known());
    }
    if (parameters.isEmpty()) {
      return family.bare();
    }
    if (parameters.size() > family.maxParameters()) {
      throw new IllegalArgumentException(
          family.parameters().isEmpty()
              ? family.name() + " takes no parameters"
              : family.name() + " takes " + family.parameters() + ", not " + parameters.size());
    }
    return family.maker().make(family.name(), parameters);
  }

  /** Whether {@link #of} knows the name. */
  static boolean isScalar(String name) {
    return FAMILIES.containsKey(name.trim().toUpperCase(Locale.ROOT));
  }

  /** {@code TINYINT, ..., VARCHAR[(n)], ..., ARRAY<T>, ...}: for --help and errors. */
  static String known() {
    List<String> names = new ArrayList<>();
    FAMILIES.forEach(
        (name, family) -> {
          if (!name.equals(family.name())) {
            names.add(name); // an alias
          } else if (family.parameters().isEmpty()) {
            names.add(name);
          } else {
            names.add(name + "[" + family.parameters() + "]");
          }
        });
    return String.join(", ", names) + ", " + NESTED;
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
        NUMBER,
        text -> new BigDecimal(text.trim()),
        String::valueOf,
        value -> ScalarValues.fitDecimal((BigDecimal) value, precision, scale));
  }

  private static ScalarType decimal(String name, List<Integer> values) {
    return decimal(values.get(0), values.size() > 1 ? values.get(1) : 0);
  }

  /** A length limit of VARCHAR(n) and the like, given the type name as it is written. */
  @FunctionalInterface
  private interface LengthLimit {
    ScalarType.Limit of(String type, int n);
  }

  private static Maker length(ScalarType base, LengthLimit limit) {
    return (name, values) -> {
      int n = values.get(0);
      if (n < 1) {
        throw new IllegalArgumentException(
            name + " length must be between 1 and " + MAX_LENGTH + ", got " + n);
      }
      String written = name + "(" + n + ")";
      return base.limited(written, limit.of(written, n));
    };
  }

  private static void plain(ScalarType type) {
    FAMILIES.put(type.name(), new Family(type.name(), type, "", 0, null));
  }

  private static void family(ScalarType bare, String parameters, int max, Maker maker) {
    FAMILIES.put(bare.name(), new Family(bare.name(), bare, parameters, max, maker));
  }

  private static void family(String name, ScalarType bare, Maker maker) {
    FAMILIES.put(name, new Family(name, bare, "(n)", 1, maker));
  }

  /** A type that alone is itself with length {@code bareLength}, e.g. CHAR is CHAR(1). */
  private static void family(String name, int bareLength, Maker maker) {
    family(name, maker.make(name, List.of(bareLength)), maker);
  }

  /** TIME, TIMESTAMP, TIMESTAMP_LTZ: {@code NAME(p)}, p digits of the second's fraction kept. */
  private static void fractional(ScalarType base, int bareDigits) {
    Maker maker =
        (name, values) -> {
          int p = values.get(0);
          if (p < 0 || p > MAX_FRACTION_DIGITS) {
            throw new IllegalArgumentException(
                name + " precision must be between 0 and " + MAX_FRACTION_DIGITS + ", got " + p);
          }
          return base.limited(name + "(" + p + ")", ScalarValues.fractionDigits(p));
        };
    ScalarType bare = base.limited(base.name(), ScalarValues.fractionDigits(bareDigits));
    FAMILIES.put(base.name(), new Family(base.name(), bare, "(p)", 1, maker));
  }

  private static void alias(String alias, String name) {
    FAMILIES.put(alias, FAMILIES.get(name));
  }
}
