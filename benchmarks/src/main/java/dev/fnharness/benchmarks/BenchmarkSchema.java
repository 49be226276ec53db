package dev.fnharness.benchmarks;

import dev.fnharness.flink.codec.ColumnType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/** The row shapes the serialization benchmarks compare, with a seeded row generator each. */
public enum BenchmarkSchema {
  /** (a) one BIGINT. */
  BIGINT(Types.LONG),
  /** (b) BIGINT, DOUBLE, STRING, BOOLEAN and an INT that is null in every tenth row. */
  MIXED(Types.LONG, Types.DOUBLE, Types.STRING, Types.BOOLEAN, Types.INT),
  /** (c) three STRINGs of 16 to 64 characters. */
  STRINGS(Types.STRING, Types.STRING, Types.STRING),
  /** (d) an ARRAY&lt;BIGINT&gt; of 0–8 elements and a MAP&lt;STRING, DOUBLE&gt; of 0–5 entries. */
  NESTED(Types.OBJECT_ARRAY(Types.LONG), Types.MAP(Types.STRING, Types.DOUBLE));

  private final List<TypeInformation<?>> types;

  BenchmarkSchema(TypeInformation<?>... types) {
    this.types = List.of(types);
  }

  public List<ColumnType> columnTypes() {
    return types.stream().map(t -> ColumnType.of(t, "benchmark column")).toList();
  }

  public int[] allPositions() {
    return IntStream.range(0, types.size()).toArray();
  }

  public RowTypeInfo rowType() {
    String[] names = IntStream.range(0, types.size()).mapToObj(i -> "c" + i).toArray(String[]::new);
    return (RowTypeInfo) Types.ROW_NAMED(names, types.toArray(new TypeInformation<?>[0]));
  }

  public Row[] rows(int count, long seed) {
    Random random = new Random(seed);
    Row[] rows = new Row[count];
    for (int r = 0; r < count; r++) {
      Object[] fields = new Object[types.size()];
      for (int c = 0; c < fields.length; c++) {
        fields[c] = value(types.get(c), random, r);
      }
      rows[r] = Row.of(fields);
    }
    return rows;
  }

  private static Object value(TypeInformation<?> type, Random random, int row) {
    if (type.equals(Types.LONG)) {
      return random.nextLong() >> random.nextInt(60);
    } else if (type.equals(Types.INT)) {
      return row % 10 == 9 ? null : random.nextInt();
    } else if (type.equals(Types.DOUBLE)) {
      return random.nextDouble() * 1e6;
    } else if (type.equals(Types.BOOLEAN)) {
      return random.nextBoolean();
    } else if (type.equals(Types.STRING)) {
      return randomString(random, 16 + random.nextInt(49));
    } else if (type.equals(Types.OBJECT_ARRAY(Types.LONG))) {
      Long[] array = new Long[random.nextInt(9)];
      for (int i = 0; i < array.length; i++) {
        array[i] = random.nextLong() >> random.nextInt(60);
      }
      return array;
    } else if (type.equals(Types.MAP(Types.STRING, Types.DOUBLE))) {
      Map<String, Double> map = new HashMap<>();
      int entries = random.nextInt(6);
      for (int i = 0; i < entries; i++) {
        map.put(randomString(random, 4 + random.nextInt(8)), random.nextDouble());
      }
      return map;
    }
    throw new IllegalArgumentException("no generator for " + type);
  }

  private static String randomString(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }
}
