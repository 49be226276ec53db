package dev.fnharness.benchmarks;

import dev.fnharness.flink.codec.ColumnType;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/** The row shapes the serialization benchmarks compare, with a seeded row generator each. */
public enum BenchmarkSchema {
  /** (a) one BIGINT. */
  BIGINT(List.of(ColumnType.BIGINT)),
  /** (b) BIGINT, DOUBLE, STRING, BOOLEAN and an INT that is null in every tenth row. */
  MIXED(
      List.of(
          ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.STRING, ColumnType.BOOLEAN, ColumnType.INT)),
  /** (c) three STRINGs of 16 to 64 characters. */
  STRINGS(List.of(ColumnType.STRING, ColumnType.STRING, ColumnType.STRING));

  private final List<ColumnType> columns;

  BenchmarkSchema(List<ColumnType> columns) {
    this.columns = columns;
  }

  public List<ColumnType> columnTypes() {
    return columns;
  }

  public int[] allPositions() {
    return IntStream.range(0, columns.size()).toArray();
  }

  public RowTypeInfo rowType() {
    TypeInformation<?>[] types = columns.stream().map(ColumnType::typeInfo).toArray(TypeInformation[]::new);
    String[] names = IntStream.range(0, columns.size()).mapToObj(i -> "c" + i).toArray(String[]::new);
    return (RowTypeInfo) Types.ROW_NAMED(names, types);
  }

  public Row[] rows(int count, long seed) {
    Random random = new Random(seed);
    Row[] rows = new Row[count];
    for (int r = 0; r < count; r++) {
      Object[] fields = new Object[columns.size()];
      for (int c = 0; c < fields.length; c++) {
        fields[c] = value(columns.get(c), random, r);
      }
      rows[r] = Row.of(fields);
    }
    return rows;
  }

  private Object value(ColumnType type, Random random, int row) {
    return switch (type) {
      case BIGINT -> random.nextLong() >> random.nextInt(60);
      case INT -> row % 10 == 9 ? null : random.nextInt();
      case DOUBLE -> random.nextDouble() * 1e6;
      case BOOLEAN -> random.nextBoolean();
      case STRING -> randomString(random, 16 + random.nextInt(49));
    };
  }

  private static String randomString(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }
}
