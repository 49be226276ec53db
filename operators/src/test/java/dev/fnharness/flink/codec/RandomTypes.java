package dev.fnharness.flink.codec;

import dev.fnharness.flink.DecimalTypeInfo;
import dev.fnharness.flink.PythonTypes;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.NullableSerializer;
import org.apache.flink.types.Row;

/**
 * Random Flink types that cross to Python, and random values of them, for property tests: nulls
 * everywhere they may be, unicode beyond the BMP, empty strings and arrays, extreme numbers, NaN
 * and infinities. Values are those Python can hold exactly (microsecond times, years 1 to 9999), so
 * they must come back equal. Deterministic for a given {@link Random}.
 */
public final class RandomTypes {

  private static final List<TypeInformation<?>> SCALARS =
      List.of(
          Types.BYTE,
          Types.SHORT,
          Types.INT,
          Types.LONG,
          Types.FLOAT,
          Types.DOUBLE,
          Types.BOOLEAN,
          Types.STRING,
          Types.PRIMITIVE_ARRAY(Types.BYTE),
          Types.BIG_DEC,
          Types.LOCAL_DATE,
          Types.LOCAL_TIME,
          Types.LOCAL_DATE_TIME,
          Types.INSTANT);

  /** Map keys whose equality is the same in Java and Python (not doubles, decimals, byte[]). */
  private static final List<TypeInformation<?>> KEYS =
      List.of(
          Types.BYTE,
          Types.SHORT,
          Types.INT,
          Types.LONG,
          Types.BOOLEAN,
          Types.STRING,
          Types.LOCAL_DATE,
          Types.LOCAL_TIME,
          Types.LOCAL_DATE_TIME,
          Types.INSTANT);

  private static final List<TypeInformation<?>> PRIMITIVE_ARRAYS =
      List.of(
          Types.PRIMITIVE_ARRAY(Types.BOOLEAN),
          Types.PRIMITIVE_ARRAY(Types.SHORT),
          Types.PRIMITIVE_ARRAY(Types.INT),
          Types.PRIMITIVE_ARRAY(Types.LONG),
          Types.PRIMITIVE_ARRAY(Types.FLOAT),
          Types.PRIMITIVE_ARRAY(Types.DOUBLE));

  private static final String[] FIELD_NAMES = {
    "a", "b", "value", "class", "with space", "ünï", "_private", "1st", "x"
  };

  private static final long MIN_EPOCH_DAY = LocalDate.of(1, 1, 1).toEpochDay();
  private static final long MAX_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

  private final Random random;
  private final double nullChance;

  public RandomTypes(Random random, double nullChance) {
    this.random = random;
    this.nullChance = nullChance;
  }

  // ---------------------------------------------------------------------------------------------
  // Types

  /** A random type; nested types up to {@code depth} levels. */
  public TypeInformation<?> type(int depth) {
    return switch (random.nextInt(depth > 0 ? 10 : 6)) {
      case 5 -> decimal();
      case 6 -> array(depth);
      case 7 -> new MapTypeInfo<>(KEYS.get(random.nextInt(KEYS.size())), type(depth - 1));
      case 8 -> row(depth);
      case 9 -> PRIMITIVE_ARRAYS.get(random.nextInt(PRIMITIVE_ARRAYS.size()));
      default -> SCALARS.get(random.nextInt(SCALARS.size()));
    };
  }

  private TypeInformation<?> decimal() {
    int precision = 1 + random.nextInt(38);
    return PythonTypes.DECIMAL(precision, random.nextInt(precision + 1));
  }

  private TypeInformation<?> array(int depth) {
    TypeInformation<?> element = type(depth - 1);
    return random.nextBoolean() ? Types.OBJECT_ARRAY(element) : new ListTypeInfo<>(element);
  }

  private TypeInformation<?> row(int depth) {
    int arity = 1 + random.nextInt(3);
    TypeInformation<?>[] types = new TypeInformation<?>[arity];
    String[] names = new String[arity];
    for (int i = 0; i < arity; i++) {
      types[i] = type(depth - 1);
      names[i] = FIELD_NAMES[random.nextInt(FIELD_NAMES.length)] + i;
    }
    return Types.ROW_NAMED(names, types);
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  /** A random value of {@code type}; null with the configured chance. */
  public Object value(TypeInformation<?> type) {
    return random.nextDouble() < nullChance ? null : nonNull(type);
  }

  private Object nonNull(TypeInformation<?> type) {
    if (type.equals(Types.BYTE)) {
      return (byte) integer(Byte.MIN_VALUE, Byte.MAX_VALUE);
    } else if (type.equals(Types.SHORT)) {
      return (short) integer(Short.MIN_VALUE, Short.MAX_VALUE);
    } else if (type.equals(Types.INT)) {
      return (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
    } else if (type.equals(Types.LONG)) {
      return integer(Long.MIN_VALUE, Long.MAX_VALUE);
    } else if (type.equals(Types.FLOAT)) {
      return floatValue();
    } else if (type.equals(Types.DOUBLE)) {
      return doubleValue();
    } else if (type.equals(Types.BOOLEAN)) {
      return random.nextBoolean();
    } else if (type.equals(Types.STRING)) {
      return string();
    } else if (type.equals(Types.PRIMITIVE_ARRAY(Types.BYTE))) {
      byte[] bytes = new byte[length()];
      random.nextBytes(bytes);
      return bytes;
    } else if (type.equals(Types.BIG_DEC)) {
      return bigDecimal(1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 40), scale());
    } else if (type instanceof DecimalTypeInfo decimal) {
      return bigDecimal(1 + random.nextInt(decimal.precision()), decimal.scale());
    } else if (type.equals(Types.LOCAL_DATE)) {
      return LocalDate.ofEpochDay(epochDay());
    } else if (type.equals(Types.LOCAL_TIME)) {
      return LocalTime.ofNanoOfDay(microsOfDay() * 1000);
    } else if (type.equals(Types.LOCAL_DATE_TIME)) {
      LocalTime time = LocalTime.ofNanoOfDay(microsOfDay() * 1000);
      return LocalDateTime.of(LocalDate.ofEpochDay(epochDay()), time);
    } else if (type.equals(Types.INSTANT)) {
      long micros = epochDay() * 86_400_000_000L + microsOfDay();
      return Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
    } else if (type instanceof ListTypeInfo<?> list) {
      int length = length();
      List<Object> values = new ArrayList<>(length);
      // Flink's ListSerializer writes no nulls for most element types (ColumnType marks them).
      boolean nullable =
          NullableSerializer.checkIfNullSupported(
              list.getElementTypeInfo().createSerializer(new SerializerConfigImpl()));
      for (int i = 0; i < length; i++) {
        TypeInformation<?> element = list.getElementTypeInfo();
        values.add(nullable ? value(element) : nonNull(element));
      }
      return values;
    } else if (type instanceof ObjectArrayTypeInfo<?, ?>
        || type instanceof BasicArrayTypeInfo<?, ?>) {
      TypeInformation<?> element =
          type instanceof ObjectArrayTypeInfo<?, ?> o
              ? o.getComponentInfo()
              : ((BasicArrayTypeInfo<?, ?>) type).getComponentInfo();
      Class<?> component = type.getTypeClass().getComponentType();
      Object[] values = (Object[]) Array.newInstance(component, length());
      for (int i = 0; i < values.length; i++) {
        values[i] = value(element);
      }
      return values;
    } else if (type instanceof PrimitiveArrayTypeInfo<?> primitive) {
      Object values = Array.newInstance(primitive.getComponentClass(), length());
      for (int i = 0; i < Array.getLength(values); i++) {
        Array.set(values, i, nonNull(primitive.getComponentType()));
      }
      return values;
    } else if (type instanceof MapTypeInfo<?, ?> map) {
      int size = length();
      Map<Object, Object> values = new HashMap<>();
      for (int i = 0; i < size; i++) {
        values.put(nonNull(map.getKeyTypeInfo()), value(map.getValueTypeInfo()));
      }
      return values;
    } else if (type instanceof RowTypeInfo row) {
      Row values = Row.withPositions(row.getArity());
      for (int i = 0; i < row.getArity(); i++) {
        values.setField(i, value(row.getTypeAt(i)));
      }
      return values;
    }
    throw new IllegalArgumentException("no random values of " + type);
  }

  private int length() {
    int pick = random.nextInt(10);
    return pick < 2 ? 0 : pick < 9 ? 1 + random.nextInt(4) : 5 + random.nextInt(20);
  }

  /** Mostly the edges and small numbers, sometimes anything in range. */
  private long integer(long min, long max) {
    return switch (random.nextInt(8)) {
      case 0 -> min;
      case 1 -> max;
      case 2 -> 0;
      case 3 -> -1 - random.nextInt(3);
      case 4 -> random.nextInt(200);
      default -> {
        long span = max - min;
        yield span < 0 ? random.nextLong() : min + (long) (random.nextDouble() * span);
      }
    };
  }

  private float floatValue() {
    return switch (random.nextInt(12)) {
      case 0 -> Float.NaN;
      case 1 -> Float.POSITIVE_INFINITY;
      case 2 -> Float.NEGATIVE_INFINITY;
      case 3 -> -0.0f;
      case 4 -> Float.MIN_VALUE;
      case 5 -> -Float.MAX_VALUE;
      case 6 -> Float.MAX_VALUE;
      default -> Float.intBitsToFloat(random.nextInt());
    };
  }

  private double doubleValue() {
    return switch (random.nextInt(12)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> -0.0;
      case 4 -> Double.MIN_VALUE;
      case 5 -> -Double.MAX_VALUE;
      case 6 -> 0.1 + 0.2;
      default -> Double.longBitsToDouble(random.nextLong());
    };
  }

  private static final int[][] CODE_POINT_RANGES = {
    {0x20, 0x7e}, // ASCII
    {0x0, 0x1f}, // control characters, NUL included
    {0xa0, 0x7ff}, // two-byte UTF-8
    {0x800, 0xd7ff}, // three-byte, below the surrogates
    {0xe000, 0xfffd}, // three-byte, above the surrogates
    {0x10000, 0x10ffff}, // beyond the BMP: four-byte UTF-8, surrogate pairs in Java
    {0x1f600, 0x1f64f}, // emoji
  };

  private String string() {
    int length = random.nextInt(5) == 0 ? 0 : random.nextInt(12);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int[] range = CODE_POINT_RANGES[random.nextInt(CODE_POINT_RANGES.length)];
      text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
    }
    return text.toString();
  }

  private int scale() {
    return random.nextInt(6) == 0 ? -random.nextInt(20) : random.nextInt(30);
  }

  private BigDecimal bigDecimal(int digits, int scale) {
    StringBuilder unscaled = new StringBuilder(random.nextBoolean() ? "-" : "");
    for (int i = 0; i < digits; i++) {
      unscaled.append((char) ('0' + random.nextInt(10)));
    }
    return new BigDecimal(new BigInteger(unscaled.toString()), scale);
  }

  private long epochDay() {
    return switch (random.nextInt(6)) {
      case 0 -> MIN_EPOCH_DAY;
      case 1 -> MAX_EPOCH_DAY;
      case 2 -> random.nextInt(40_000) - 10_000; // around now
      default -> MIN_EPOCH_DAY + (long) (random.nextDouble() * (MAX_EPOCH_DAY - MIN_EPOCH_DAY));
    };
  }

  private long microsOfDay() {
    return switch (random.nextInt(5)) {
      case 0 -> 0;
      case 1 -> 86_400_000_000L - 1;
      default -> (long) (random.nextDouble() * 86_400_000_000L);
    };
  }
}
