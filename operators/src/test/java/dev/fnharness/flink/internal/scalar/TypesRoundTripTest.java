package dev.fnharness.flink.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.PythonTypes;
import dev.fnharness.flink.TestPython;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.codec.RandomTypes;
import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.flink.internal.plan.RowFunctionPlan;
import dev.fnharness.flink.internal.plan.ScalarFunctionPlan;
import dev.fnharness.flink.internal.worker.ShippedPythonFiles;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.util.StringUtils;
import org.junit.jupiter.api.Test;

/**
 * Every type through a real Python worker: random schemas (nested arrays, maps and rows included)
 * and random rows (nulls, unicode beyond the BMP, empty strings, extreme numbers, NaN, infinities)
 * go through {@code identity} functions in the real operator and must come back equal, and be
 * values Flink's own serializers for the declared output type can write and read.
 *
 * <p>The seed is random per run and printed on failure; rerun one with {@code
 * -Dfnharness.test.seed=<seed>}.
 */
public class TypesRoundTripTest {

  private static final int OPERATORS = Integer.getInteger("fnharness.test.operators", 6);
  private static final int SCHEMAS_PER_OPERATOR = 6;
  private static final int ROWS = 300;

  private static String typeUdfs() {
    return TestPython.udfFile().resolveSibling("type_udfs.py").toString();
  }

  private static OneInputStreamOperatorTestHarness<Row, Row> open(
      RowFunctionPlan plan, String... options) throws Exception {
    String[] all = new String[options.length + 2];
    all[0] = "python.files";
    all[1] = typeUdfs();
    System.arraycopy(options, 0, all, 2, options.length);
    OneInputStreamOperatorTestHarness<Row, Row> harness =
        new OneInputStreamOperatorTestHarness<>(
            plan.newOperator(
                WorkerSetup.of(
                    PythonConfig.capture(TestPython.config(all)), ShippedPythonFiles.none())));
    // Outputs are copied with the serializer of the declared output type: a decoded value of the
    // wrong Java class fails here.
    harness.setup(plan.outputType().createSerializer(new ExecutionConfig().getSerializerConfig()));
    harness.open();
    return harness;
  }

  @Test
  void randomSchemasAndRowsComeBackEqualThroughIdentityFunctions() throws Exception {
    long seed = Long.getLong("fnharness.test.seed", new Random().nextLong());
    try {
      Random random = new Random(seed);
      for (int operator = 0; operator < OPERATORS; operator++) {
        runOneOperator(random);
      }
    } catch (Throwable e) {
      throw new AssertionError(
          "Failed with seed "
              + seed
              + " (rerun with -Dfnharness.test.seed="
              + seed
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** Several random schemas side by side in one operator: one identity function per column. */
  private static void runOneOperator(Random random) throws Exception {
    RandomTypes randomTypes = new RandomTypes(random, 0.1 + random.nextDouble() * 0.2);
    List<TypeInformation<?>> types = new ArrayList<>();
    List<String> schemas = new ArrayList<>();
    for (int schema = 0; schema < SCHEMAS_PER_OPERATOR; schema++) {
      int columns = 1 + random.nextInt(4);
      List<String> described = new ArrayList<>();
      for (int c = 0; c < columns; c++) {
        TypeInformation<?> type = randomTypes.type(1 + random.nextInt(3));
        types.add(type);
        described.add(ColumnType.of(type, "column").toString());
      }
      schemas.add(described.toString());
    }
    int arity = types.size();
    String[] names = new String[arity];
    List<PythonScalarFunction> functions = new ArrayList<>();
    for (int c = 0; c < arity; c++) {
      names[c] = "c" + c;
      functions.add(
          PythonScalarFunction.of("type_udfs:identity")
              .args(names[c])
              .returns(types.get(c))
              .as("out" + c));
    }
    RowTypeInfo input = new RowTypeInfo(types.toArray(new TypeInformation<?>[0]), names);
    RowFunctionPlan plan = ScalarFunctionPlan.of(input, functions);
    String bundleSize = String.valueOf(1 + random.nextInt(ROWS));
    String batchSize = String.valueOf(1 + random.nextInt(200));

    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      Row row = Row.withPositions(arity);
      for (int c = 0; c < arity; c++) {
        row.setField(c, randomTypes.value(types.get(c)));
      }
      rows.add(row);
    }

    OneInputStreamOperatorTestHarness<Row, Row> harness =
        open(
            plan,
            "python.fn-execution.bundle.size",
            bundleSize,
            "python.fn-execution.batch.size",
            batchSize,
            "python.fn-execution.bundle.time",
            "3600000");
    List<Row> output;
    try {
      for (Row row : rows) {
        harness.processElement(row, 0);
      }
      harness.endInput();
      output = harness.extractOutputValues();
    } finally {
      harness.close();
    }

    String context =
        "schemas " + schemas + ", bundle size " + bundleSize + ", batch size " + batchSize;
    assertThat(output).as(context).hasSize(ROWS);
    @SuppressWarnings("unchecked")
    TypeSerializer<Row> serializer =
        (TypeSerializer<Row>)
            plan.outputType().createSerializer(new ExecutionConfig().getSerializerConfig());
    DataOutputSerializer bytes = new DataOutputSerializer(1024);
    for (int r = 0; r < ROWS; r++) {
      Row in = rows.get(r);
      Row out = output.get(r);
      for (int c = 0; c < arity; c++) {
        // Row.equals compares deeply: arrays, lists, maps and nested rows by content.
        if (!Row.of(in.getField(c)).equals(Row.of(out.getField(arity + c)))) {
          throw new AssertionError(
              context
                  + ": row "
                  + r
                  + " column c"
                  + c
                  + " ("
                  + ColumnType.of(types.get(c), "column")
                  + ") went in as "
                  + StringUtils.arrayAwareToString(in.getField(c))
                  + " and came back as "
                  + StringUtils.arrayAwareToString(out.getField(arity + c)));
        }
      }
      bytes.clear();
      serializer.serialize(out, bytes);
      Row reread = serializer.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
      assertThat(reread)
          .as(context + ": row " + r + " through Flink's RowSerializer")
          .isEqualTo(out);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Results of the wrong type: the error names the function, the column, the row and the value.

  private static String failure(String function, TypeInformation<?> resultType) throws Exception {
    RowTypeInfo input = (RowTypeInfo) Types.ROW_NAMED(new String[] {"x"}, Types.LONG);
    RowFunctionPlan plan =
        ScalarFunctionPlan.of(
            input,
            List.of(
                PythonScalarFunction.of("type_udfs:" + function)
                    .args("x")
                    .returns(resultType)
                    .as("y")));
    OneInputStreamOperatorTestHarness<Row, Row> harness = open(plan);
    try {
      harness.processElement(Row.of(1L), 0);
      harness.processElement(Row.of(2L), 0);
      Throwable thrown = null;
      try {
        harness.endInput();
      } catch (Throwable e) {
        thrown = e;
      }
      assertThat(thrown).as(function).isInstanceOf(PythonFunctionException.class);
      return thrown.getMessage();
    } finally {
      closeAfterFailure(harness);
    }
  }

  /**
   * The harness closes with finish(), which a real task skips after a failure and which fails again
   * here; then close() is not reached, so the worker is closed here.
   */
  private static void closeAfterFailure(OneInputStreamOperatorTestHarness<Row, Row> harness)
      throws Exception {
    try {
      harness.close();
    } catch (Exception expected) {
      harness.getOneInputOperator().close();
    }
  }

  @Test
  void resultsOfTheWrongTypeNameTheFunctionColumnRowAndValue() throws Exception {
    assertThat(failure("bigint_as_str", Types.LONG))
        .contains(
            "Python function 'type_udfs:bigint_as_str' (output column 'y') returned '12' on row 0")
        .contains("BIGINT cannot hold a value of type str");
    assertThat(failure("bigint_beyond_64_bits", Types.LONG))
        .contains("returned 18446744073709551616 on row 0")
        .contains("out of range for BIGINT");
    assertThat(failure("int_beyond_32_bits", Types.INT))
        .contains("returned 2147483648 on row 0")
        .contains("out of range for INT");
    assertThat(failure("decimal_too_wide", PythonTypes.DECIMAL(6, 2)))
        .contains("returned Decimal('123456.7') on row 0")
        .contains("DECIMAL(6, 2)")
        .contains("more than 6 digits");
    assertThat(failure("float_too_wide_for_decimal", PythonTypes.DECIMAL(6, 2)))
        .contains("returned 10000000000.0 on row 0");
    assertThat(failure("list_with_a_str", Types.LIST(Types.LONG)))
        .contains("returned [1, 2, 'three'] on row 0")
        .contains("element 2 ('three'): BIGINT cannot hold a value of type str");
  }

  @Test
  void anInputValuePythonCannotHoldFailsNamingTheField() throws Exception {
    RowTypeInfo input =
        (RowTypeInfo) Types.ROW_NAMED(new String[] {"d"}, PythonTypes.DECIMAL(4, 1));
    RowFunctionPlan plan =
        ScalarFunctionPlan.of(
            input,
            List.of(
                PythonScalarFunction.of("type_udfs:identity").args("d").returns(Types.BIG_DEC)));
    OneInputStreamOperatorTestHarness<Row, Row> harness = open(plan);
    try {
      harness.processElement(Row.of(new BigDecimal("1.25")), 0);
      assertThatThrownBy(() -> harness.processElement(Row.of(new BigDecimal("12345")), 0))
          .hasMessageContaining("Field 0")
          .hasMessageContaining("12345")
          .hasMessageContaining("DECIMAL(4, 1)");
    } finally {
      closeAfterFailure(harness);
    }
  }

  @Test
  void declaredDecimalsComeBackRoundedToTheirScale() throws Exception {
    RowTypeInfo input = (RowTypeInfo) Types.ROW_NAMED(new String[] {"d"}, Types.BIG_DEC);
    RowFunctionPlan plan =
        ScalarFunctionPlan.of(
            input,
            List.of(
                PythonScalarFunction.of("type_udfs:identity")
                    .args("d")
                    .returns(PythonTypes.DECIMAL(5, 2))
                    .as("r")));
    OneInputStreamOperatorTestHarness<Row, Row> harness = open(plan);
    try {
      harness.processElement(Row.of(new BigDecimal("1.005")), 0);
      harness.processElement(Row.of(new BigDecimal("-2")), 0);
      harness.endInput();
      assertThat(harness.extractOutputValues())
          .extracting(row -> row.getField(1))
          .containsExactly(new BigDecimal("1.01"), new BigDecimal("-2.00"));
    } finally {
      harness.close();
    }
  }
}
