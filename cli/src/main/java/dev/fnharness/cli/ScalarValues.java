package dev.fnharness.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How the text of a field becomes a scalar value and back, and what declared lengths and precisions
 * do to values: the readers, writers and limits that {@link ColumnTypes} puts together into types.
 */
final class ScalarValues {

  /** Decimal notation only: no hexadecimal floats, no Java's {@code 1.5d} / {@code 2f} suffixes. */
  private static final Pattern DECIMAL_NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private ScalarValues() {}

  // --- numbers ---------------------------------------------------------------------------------

  /**
   * A DOUBLE: decimal notation, or NaN and infinity as Python ({@code nan}, {@code inf}), pandas,
   * Spark and Java ({@code NaN}, {@code Infinity}) write them, in any case, with an optional sign.
   * A finite number beyond DOUBLE's range is refused rather than read as infinity.
   */
  static Double readDouble(String text) {
    String t = text.trim();
    Double special = nanOrInfinity(t);
    if (special != null) {
      return special;
    }
    double value = Double.parseDouble(decimal(t));
    if (Double.isInfinite(value)) {
      throw new BadValueException("it is beyond DOUBLE's range (write inf or -inf for infinity)");
    }
    return value;
  }

  /** A FLOAT, as {@link #readDouble}; beyond float32's range is refused, as for Python results. */
  static Float readFloat(String text) {
    String t = text.trim();
    Double special = nanOrInfinity(t);
    if (special != null) {
      return special.floatValue();
    }
    float value = Float.parseFloat(decimal(t));
    if (Float.isInfinite(value)) {
      throw new BadValueException(
          "it is beyond FLOAT's range of ±3.4028235E38 (write inf or -inf for infinity)");
    }
    return value;
  }

  private static String decimal(String text) {
    if (!DECIMAL_NUMBER.matcher(text).matches()) {
      throw new IllegalArgumentException("not a decimal number");
    }
    return text;
  }

  /** {@code nan}, {@code inf}, {@code infinity} in any case, signed or not; null for others. */
  private static Double nanOrInfinity(String text) {
    if (text.isEmpty() || Character.isDigit(text.charAt(text.length() - 1))) {
      return null; // the common case, a number, decided without lower-casing
    }
    boolean negative = text.charAt(0) == '-';
    String word =
        (negative || text.charAt(0) == '+' ? text.substring(1) : text).toLowerCase(Locale.ROOT);
    switch (word) {
      case "nan":
        return Double.NaN;
      case "inf":
      case "infinity":
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      default:
        return null;
    }
  }

  /**
   * {@code DECIMAL(p, s)}: rounded half-up to {@code s} decimals, as Python results of the type
   * are, and refused when it then needs more than {@code p} digits.
   */
  static BigDecimal fitDecimal(BigDecimal exact, int precision, int scale) {
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

  static Boolean readBoolean(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return Boolean.TRUE;
    }
    if (t.equals("false")) {
      return Boolean.FALSE;
    }
    throw new IllegalArgumentException("expected true or false");
  }

  // --- bytes -----------------------------------------------------------------------------------

  /**
   * Base64 of RFC 4648: the standard alphabet ({@code + /}) or the URL-safe one ({@code - _}), with
   * or without {@code =} padding; no line breaks or spaces inside (around: trimmed).
   */
  static byte[] readBase64(String text) {
    String t = text.trim();
    boolean urlSafe = t.indexOf('-') >= 0 || t.indexOf('_') >= 0;
    try {
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(t);
    } catch (IllegalArgumentException e) {
      throw new BadValueException(
          "it is not base64 (A-Z a-z 0-9 and + / or - _, '=' padding optional): " + e.getMessage());
    }
  }

  /** Base64, standard alphabet, padded: what {@link #readBase64} and most tools read. */
  static String writeBase64(Object bytes) {
    return Base64.getEncoder().encodeToString((byte[]) bytes);
  }

  // --- dates and times -------------------------------------------------------------------------

  /** Date and time parse errors as the IllegalArgumentException every reader throws. */
  static Object time(Supplier<Object> parse) {
    try {
      return parse.get();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** {@code 2026-11-21 10:15:00} as SQL writes it, or ISO's {@code 2026-11-21T10:15:00}. */
  static LocalDateTime readTimestamp(String text) {
    return (LocalDateTime) time(() -> LocalDateTime.parse(text.trim().replace(' ', 'T')));
  }

  /**
   * TIME(p), TIMESTAMP(p), TIMESTAMP_LTZ(p): the digits of the second's fraction after the p-th
   * dropped, as Flink SQL's CAST to the type does (truncated toward the start of the second, not
   * rounded).
   */
  static ScalarType.Limit fractionDigits(int precision) {
    int unit = (int) Math.pow(10, 9 - precision);
    return value -> {
      if (value instanceof LocalDateTime t) {
        return t.getNano() % unit == 0 ? t : t.withNano(t.getNano() - t.getNano() % unit);
      }
      if (value instanceof LocalTime t) {
        return t.getNano() % unit == 0 ? t : t.withNano(t.getNano() - t.getNano() % unit);
      }
      Instant t = (Instant) value;
      return t.getNano() % unit == 0
          ? t
          : Instant.ofEpochSecond(t.getEpochSecond(), t.getNano() - t.getNano() % unit);
    };
  }

  // --- lengths ---------------------------------------------------------------------------------

  /** VARCHAR(n): at most n characters (Unicode code points, as Python's len counts). */
  static ScalarType.Limit maxCharacters(String type, int n) {
    return value -> {
      String s = (String) value;
      if (s.length() > n && s.codePointCount(0, s.length()) > n) {
        throw new BadValueException(
            "it has "
                + s.codePointCount(0, s.length())
                + " characters, more than "
                + type
                + " holds");
      }
      return s;
    };
  }

  /**
   * CHAR(n): exactly n characters; a shorter value is padded with spaces, as Flink SQL's CAST to
   * CHAR(n) pads; a longer one is refused (where CAST would cut it) unless what is past n is
   * spaces.
   */
  static ScalarType.Limit fixedCharacters(String type, int n) {
    return value -> {
      String s = (String) value;
      int length = s.codePointCount(0, s.length());
      if (length < n) {
        return s + " ".repeat(n - length);
      }
      if (length > n) {
        int end = s.offsetByCodePoints(0, n);
        if (s.substring(end).chars().anyMatch(c -> c != ' ')) {
          throw new BadValueException(
              "it has " + length + " characters, more than " + type + " holds");
        }
        return s.substring(0, end);
      }
      return s;
    };
  }

  /** VARBINARY(n): at most n bytes. */
  static ScalarType.Limit maxBytes(String type, int n) {
    return value -> {
      byte[] b = (byte[]) value;
      if (b.length > n) {
        throw new BadValueException("it has " + b.length + " bytes, more than " + type + " holds");
      }
      return b;
    };
  }

  /**
   * BINARY(n): exactly n bytes; a shorter value is padded with zero bytes, as Flink SQL's CAST to
   * BINARY(n) pads; a longer one is refused (where CAST would cut it).
   */
  static ScalarType.Limit fixedBytes(String type, int n) {
    return value -> {
      byte[] b = (byte[]) value;
      if (b.length > n) {
        throw new BadValueException("it has " + b.length + " bytes, more than " + type + " holds");
      }
      return b.length == n ? b : Arrays.copyOf(b, n);
    };
  }
}
