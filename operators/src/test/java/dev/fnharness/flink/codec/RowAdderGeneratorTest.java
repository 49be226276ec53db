package dev.fnharness.flink.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonTypes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * The encoder's generated per-row code against the generic slot chain: the same bytes, the same
 * errors, one compilation per schema, and the generic path wherever compiling fails.
 */
class RowAdderGeneratorTest {

  private static final RowAdderGenerator GENERIC = new RowAdderGenerator(null);

  /** Every kind the encoder has a writer for, each writer path at least once. */
  private static final List<TypeInformation<?>> EVERY_TYPE =
      List.of(
          Types.LONG,
          Types.INT,
          Types.SHORT,
          Types.BYTE,
          Types.DOUBLE,
          Types.FLOAT,
          Types.BOOLEAN,
          Types.STRING,
          PythonTypes.DECIMAL(10, 3),
          Types.PRIMITIVE_ARRAY(Types.BYTE),
          Types.LOCAL_DATE,
          Types.LOCAL_TIME,
          Types.LOCAL_DATE_TIME,
          Types.INSTANT,
          Types.OBJECT_ARRAY(Types.STRING),
          Types.PRIMITIVE_ARRAY(Types.LONG),
          new MapTypeInfo<>(Types.STRING, Types.DOUBLE),
          Types.ROW(Types.INT, Types.STRING));

  private static ColumnType type(TypeInformation<?> typeInfo) {
    return ColumnType.of(typeInfo, "test column");
  }

  private static RowBatchEncoder generated(int[] positions, List<ColumnType> types) {
    RowBatchEncoder encoder = new RowBatchEncoder(positions, types);
    assertThat(encoder.adder()).isNotInstanceOf(SlotChainAdder.class);
    assertThat(encoder.adder().getClass().isHidden()).isTrue();
    return encoder;
  }

  private static RowBatchEncoder generic(int[] positions, List<ColumnType> types) {
    RowBatchEncoder encoder = new RowBatchEncoder(positions, types, GENERIC);
    assertThat(encoder.adder()).isInstanceOf(SlotChainAdder.class);
    return encoder;
  }

  @Test
  void everyTypeWithNullsGivesTheSameBytesOnBothPaths() {
    Random random = new Random(7);
    RandomTypes values = new RandomTypes(random, 0.2);
    List<ColumnType> types = EVERY_TYPE.stream().map(RowAdderGeneratorTest::type).toList();
    // fields in reverse, one read twice, one never read
    int width = types.size() + 1;
    int[] positions = new int[types.size()];
    for (int c = 0; c < positions.length; c++) {
      positions[c] = width - 1 - c;
    }
    positions[3] = positions[0];
    RowBatchEncoder generated = generated(positions, types);
    RowBatchEncoder generic = generic(positions, types);
    // past the first reservations (64, 128...) and back, as the operator's batches go
    for (int rows : new int[] {1, 70, 1000, 0, 300}) {
      for (int r = 0; r < rows; r++) {
        Row row = Row.withPositions(width);
        for (int c = 0; c < positions.length; c++) {
          row.setField(positions[c], values.value(EVERY_TYPE.get(c)));
        }
        if (r % 50 == 0) {
          for (int f = 0; f < width; f++) {
            row.setField(f, null);
          }
        }
        row.setField(positions[3], values.value(EVERY_TYPE.get(0)));
        generated.add(row);
        generic.add(row);
      }
      assertThat(generated.finish()).isEqualTo(generic.finish());
    }
  }

  @Test
  void randomSchemasGiveTheSameBytesOnBothPaths() {
    long seed = new Random().nextLong();
    try {
      Random random = new Random(seed);
      RandomTypes randomTypes = new RandomTypes(random, 0.15);
      for (int schema = 0; schema < 150; schema++) {
        int columnCount = 1 + random.nextInt(8);
        int width = columnCount + random.nextInt(3);
        List<TypeInformation<?>> fieldTypes = new ArrayList<>();
        for (int f = 0; f < width; f++) {
          fieldTypes.add(randomTypes.type(2));
        }
        int[] positions = random.ints(columnCount, 0, width).toArray();
        List<ColumnType> types = new ArrayList<>();
        for (int position : positions) {
          types.add(type(fieldTypes.get(position)));
        }
        RowBatchEncoder generated = generated(positions, types);
        RowBatchEncoder generic = generic(positions, types);
        for (int batch = 0; batch < 3; batch++) {
          int rows = random.nextInt(150);
          for (int r = 0; r < rows; r++) {
            Row row = Row.withPositions(width);
            for (int f = 0; f < width; f++) {
              row.setField(f, randomTypes.value(fieldTypes.get(f)));
            }
            generated.add(row);
            generic.add(row);
          }
          ByteString expected = generic.finish();
          assertThat(generated.finish()).as("types %s", types).isEqualTo(expected);
        }
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("Failed with seed " + seed + ": " + e.getMessage(), e);
    }
  }

  @Test
  void aValueOfTheWrongClassIsNamedAlikeOnBothPathsWhateverItsColumn() {
    List<ColumnType> types =
        List.of(
            ColumnType.STRING,
            ColumnType.BIGINT,
            ColumnType.DOUBLE,
            ColumnType.BOOLEAN,
            type(Types.LOCAL_DATE),
            type(Types.FLOAT),
            type(PythonTypes.DECIMAL(5, 2)),
            ColumnType.INT);
    int[] positions = {0, 1, 2, 3, 4, 5, 6, 7};
    Object[] good = {
      "s", 1L, 1.5, true, LocalDate.of(2024, 2, 29), 1.5f, new BigDecimal("1.25"), 3
    };
    Object[] wrong = {5L, "x", "y", 1, "2024-02-29", "z", 2.5, "4"};
    String[] typeNames = {
      "STRING", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "FLOAT", "DECIMAL", "INT"
    };
    for (int c = 0; c < types.size(); c++) {
      Object[] fields = good.clone();
      fields[c] = wrong[c];
      String expected = null;
      for (RowBatchEncoder encoder :
          List.of(generated(positions, types), generic(positions, types))) {
        encoder.add(Row.of(good));
        Throwable error = catchThrowable(() -> encoder.add(Row.of(fields)));
        assertThat(error)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(
                "Field " + c + " of an input row holds " + wrong[c] + ", which cannot be sent")
            .hasMessageContaining(typeNames[c])
            .hasCauseInstanceOf(ClassCastException.class);
        if (expected == null) {
          expected = error.getMessage();
        } else {
          assertThat(error.getMessage()).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aValueOutOfPythonsRangeIsNamedOnTheGeneratedPath() {
    RowBatchEncoder encoder =
        generated(new int[] {1, 0}, List.of(type(Types.LOCAL_DATE_TIME), type(Types.INSTANT)));
    assertThatThrownBy(() -> encoder.add(Row.of(Instant.EPOCH, LocalDateTime.of(-5, 1, 1, 0, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Field 1 of an input row holds -0005-01-01T00:00")
        .hasMessageContaining("outside the years 1 to 9999");
  }

  @Test
  void aSchemaIsCompiledOncePerGeneratorAndSharedByItsEncoders() {
    AtomicInteger calls = new AtomicInteger();
    RowAdderGenerator generator =
        new RowAdderGenerator(
            source -> {
              calls.incrementAndGet();
              return JaninoCompiler.define(source);
            });
    List<ColumnType> types = List.of(ColumnType.BIGINT, ColumnType.STRING);
    RowBatchEncoder first = new RowBatchEncoder(new int[] {0, 1}, types, generator);
    RowBatchEncoder second = new RowBatchEncoder(new int[] {0, 1}, types, generator);
    RowBatchEncoder otherFields = new RowBatchEncoder(new int[] {1, 0}, types, generator);

    assertThat(calls).hasValue(2);
    assertThat(generator.compilations()).isEqualTo(2);
    assertThat(second.adder().getClass()).isSameAs(first.adder().getClass());
    assertThat(otherFields.adder().getClass()).isNotSameAs(first.adder().getClass());
    // each encoder has its own writers
    first.add(Row.of(1L, "a"));
    second.add(Row.of(2L, "b"));
    otherFields.add(Row.of("c", 3L));
    assertThat(first.finish()).isNotEqualTo(second.finish());
    assertThat(otherFields.rowCount()).isEqualTo(1);
  }

  @Test
  void whenCompilingFailsTheEncoderUsesTheGenericPathAndDoesNotTryAgain() {
    for (Throwable failure :
        List.of(
            new org.codehaus.commons.compiler.CompileException("refused", null),
            new NoClassDefFoundError("org/codehaus/janino/SimpleCompiler"))) {
      AtomicInteger calls = new AtomicInteger();
      RowAdderGenerator failing =
          new RowAdderGenerator(
              source -> {
                calls.incrementAndGet();
                if (failure instanceof Exception e) {
                  throw e;
                }
                throw (Error) failure;
              });
      List<ColumnType> types = List.of(ColumnType.INT, ColumnType.STRING, ColumnType.BOOLEAN);
      RowBatchEncoder encoder = new RowBatchEncoder(new int[] {0, 1, 2}, types, failing);
      new RowBatchEncoder(new int[] {0, 1, 2}, types, failing);
      RowBatchEncoder reference = generated(new int[] {0, 1, 2}, types);

      assertThat(encoder.adder()).isInstanceOf(SlotChainAdder.class);
      assertThat(calls).hasValue(1);
      for (Row row : List.of(Row.of(1, "x", true), Row.of(null, null, null))) {
        encoder.add(row);
        reference.add(row);
      }
      assertThat(encoder.finish()).isEqualTo(reference.finish());
    }
  }

  @Test
  void theSourceIsOneStatementPerColumnInVisitOrder() {
    // the benchmarks' mixed schema: BIGINT, DOUBLE, STRING, BOOLEAN, INT
    List<ColumnType> types =
        List.of(
            ColumnType.BIGINT,
            ColumnType.DOUBLE,
            ColumnType.STRING,
            ColumnType.BOOLEAN,
            ColumnType.INT);
    RowBatchEncoder encoder = new RowBatchEncoder(new int[] {0, 1, 2, 3, 4}, types, GENERIC);
    String source = RowAdderGenerator.source(firstSlot(encoder));

    assertThat(source)
        .contains("  private final LongColumnWriter c0;\n")
        .contains("  private final StringColumnWriter c2;\n")
        .contains("    c3 = (BooleanColumnWriter) columns[3];\n")
        .contains(
            "  void add(Row row) {\n"
                + "    int r = rowCount;\n"
                + "    if (r == reservedRows) {\n"
                + "      reserveRows();\n"
                + "    }\n"
                + "    c0.setNumber(r, row.getField(0));\n"
                + "    c1.setDouble(r, row.getField(1));\n"
                + "    c3.setBoolean(r, row.getField(3));\n"
                + "    c4.setNumber(r, row.getField(4));\n"
                + "    c2.setString(r, row.getField(2));\n"
                + "    rowCount = r + 1;\n"
                + "  }\n");
  }

  @Test
  void aBatchOfNoColumnsCountsRows() throws Exception {
    RowBatchEncoder generated = generated(new int[0], List.of());
    RowBatchEncoder generic = generic(new int[0], List.of());
    for (RowBatchEncoder encoder : List.of(generated, generic)) {
      encoder.add(Row.of());
      encoder.add(Row.of());
    }
    ByteString batch = generated.finish();
    assertThat(batch).isEqualTo(generic.finish());
    assertThat(dev.fnharness.proto.RowBatch.parseFrom(batch).getRowCount()).isEqualTo(2);
  }

  @Test
  void compilesInAChildFirstLoaderAsAFlinkJobsUserCodeLoaderIs() throws Exception {
    // A job jar holding fnharness and Janino, loaded child-first, with Flink's classes (and the
    // rest) from the parent: the generated class must see the codec's classes of this loader.
    List<java.net.URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      urls.add(java.nio.file.Path.of(entry).toUri().toURL());
    }
    ClassLoader parent = getClass().getClassLoader();
    try (java.net.URLClassLoader userCode =
        new java.net.URLClassLoader(urls.toArray(new java.net.URL[0]), parent) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.fnharness.") && !name.startsWith("org.codehaus.")) {
              return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
              Class<?> loaded = findLoadedClass(name);
              return loaded != null ? loaded : findClass(name);
            }
          }
        }) {
      Class<?> probe = userCode.loadClass(CodecProbe.class.getName());
      assertThat(probe.getClassLoader()).isSameAs(userCode);

      Object[] there = (Object[]) probe.getMethod("encode").invoke(null);
      Object[] here = CodecProbe.encode();

      Class<?> adder = (Class<?>) there[0];
      assertThat(adder.getClassLoader()).isSameAs(userCode);
      assertThat(adder.getSuperclass().getName()).isEqualTo(RowAdder.class.getName());
      assertThat(adder.getSuperclass()).isNotSameAs(RowAdder.class);
      assertThat(there[1]).isEqualTo(true);
      assertThat((byte[]) there[2]).isEqualTo((byte[]) here[2]);
    }
  }

  private static ColumnSlot firstSlot(RowBatchEncoder encoder) {
    return encoder.firstSlot();
  }

  private static Throwable catchThrowable(Runnable action) {
    try {
      action.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("no exception");
  }
}
