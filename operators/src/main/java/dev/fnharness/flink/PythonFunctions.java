package dev.fnharness.flink;

import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.flink.internal.plan.KeyedFunctionPlan;
import dev.fnharness.flink.internal.plan.ScalarFunctionPlan;
import dev.fnharness.flink.internal.plan.TableFunctionPlan;
import dev.fnharness.flink.internal.plan.TransformPlan;
import dev.fnharness.flink.internal.worker.ShippedPythonFiles;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Row;

/**
 * Adds Python functions to a {@code DataStream<Row>}:
 *
 * <pre>{@code
 * DataStream<Row> withY = PythonFunctions.scalar(rows,
 *     PythonScalarFunction.of("udfs:add_one").args("x").returns(Types.LONG).as("y"));
 *
 * DataStream<Row> words = PythonFunctions.on(lines).keep("id")
 *     .table(PythonTableFunction.of("udfs:words").args("line").returns(Types.STRING).as("word"));
 * }</pre>
 *
 * The stream's type must be a named {@link RowTypeInfo} (e.g. {@code Types.ROW_NAMED(...)}). Worker
 * settings ({@link PythonOptions}) come from the stream's execution environment.
 */
public final class PythonFunctions {

  private PythonFunctions() {}

  /**
   * Appends one column per function to every row. All functions run in one operator and share a
   * round trip to the worker.
   */
  public static SingleOutputStreamOperator<Row> scalar(
      DataStream<Row> input, PythonScalarFunction... functions) {
    return on(input).scalar(functions);
  }

  /**
   * Replaces every row by the rows the function yields for it, each with the row's columns first.
   */
  public static SingleOutputStreamOperator<Row> table(
      DataStream<Row> input, PythonTableFunction function) {
    return on(input).table(function);
  }

  /** Starts a Python operator on {@code input}; choose its kept columns, then its functions. */
  public static Builder on(DataStream<Row> input) {
    if (!(input.getType() instanceof RowTypeInfo rowType)) {
      throw new IllegalArgumentException(
          "Python functions need a DataStream<Row> whose type is a RowTypeInfo with field names"
              + " (e.g. .returns(Types.ROW_NAMED(new String[] {\"x\"}, Types.LONG))); this"
              + " stream's type is "
              + input.getType());
    }
    return new Builder(input, rowType, List.of(rowType.getFieldNames()));
  }

  /** One Python operator in the making: the input and the input columns its output keeps. */
  public static final class Builder {

    private final DataStream<Row> input;
    private final RowTypeInfo rowType;
    private final List<String> kept;

    private Builder(DataStream<Row> input, RowTypeInfo rowType, List<String> kept) {
      this.input = input;
      this.rowType = rowType;
      this.kept = kept;
    }

    /**
     * The input columns that start each output row, in this order; every input column by default,
     * none with {@code keep()}. Only these wait in memory for the results.
     */
    public Builder keep(String... columns) {
      return new Builder(input, rowType, List.of(columns));
    }

    /**
     * The kept columns followed by one column per function. All functions run in one operator and
     * share a round trip to the worker.
     */
    public SingleOutputStreamOperator<Row> scalar(PythonScalarFunction... functions) {
      return apply(input, ScalarFunctionPlan.of(rowType, kept, List.of(functions)));
    }

    /**
     * For each input row, one output row per row the function yields: the kept columns followed by
     * the result columns, in input order, as a lateral join would. An input row that yields nothing
     * has no output.
     */
    public SingleOutputStreamOperator<Row> table(PythonTableFunction function) {
      return apply(input, TableFunctionPlan.of(rowType, kept, function));
    }
  }

  /**
   * Calls a keyed Python function on every row of {@code input}; its output rows, zero or more per
   * row and per fired timer, form the returned stream:
   *
   * <pre>{@code
   * DataStream<Row> greetings = PythonFunctions.process(
   *     names.keyBy(row -> row.<String>getFieldAs("name"), Types.STRING),
   *     PythonKeyedFunction.of("greeter:greet")
   *         .returns(Types.ROW_NAMED(new String[] {"greeting"}, Types.STRING)));
   * }</pre>
   *
   * The function's state is Flink keyed state of the returned operator, checkpointed with it. Keys
   * may be {@code Long}, {@code Integer}, {@code String}, {@code Double} or {@code Boolean}.
   */
  public static <K> SingleOutputStreamOperator<Row> process(
      KeyedStream<Row, K> input, PythonKeyedFunction function) {
    if (!(input.getType() instanceof RowTypeInfo rowType)) {
      throw new IllegalArgumentException(
          "Python function '"
              + function.reference()
              + "' needs a KeyedStream<Row, K> whose row type is a RowTypeInfo with field names"
              + " (e.g. .returns(Types.ROW_NAMED(new String[] {\"name\"}, Types.STRING)) before"
              + " keyBy); this stream's type is "
              + input.getType());
    }
    KeyedFunctionPlan plan =
        KeyedFunctionPlan.of(
            rowType, input.getKeyType(), function, options(input).stateCacheSize());
    return apply(input, plan);
  }

  /** The job's python.* settings, as the stream's environment has them. */
  private static PythonConfig options(DataStream<Row> input) {
    return PythonConfig.capture(input.getExecutionEnvironment().getConfiguration());
  }

  /**
   * Adds the operator that runs {@code plan}, whatever its kind, e.g.
   * "PythonScalarFunction[udfs:f]" named "Python udfs:f". A keyed stream gets a keyed operator:
   * {@code KeyedStream} makes it so.
   */
  private static SingleOutputStreamOperator<Row> apply(DataStream<Row> input, TransformPlan plan) {
    PythonConfig options = options(input);
    // python.files travel with the job, so a remote cluster needs no copy of them
    ShippedPythonFiles shipped =
        ShippedPythonFiles.register(input.getExecutionEnvironment(), options.pythonFiles());
    FailureLog.registerWith(input.getExecutionEnvironment());
    return input
        .transform(
            operatorName(plan),
            plan.outputType(),
            plan.newOperator(WorkerSetup.of(options, shipped)))
        .name("Python " + String.join(", ", plan.functionReferences()));
  }

  /** E.g. "PythonScalarFunction[udfs:f, udfs:g]": the kind, upper camel case, and the functions. */
  private static String operatorName(TransformPlan plan) {
    String kind =
        Arrays.stream(plan.kind().name().toLowerCase(Locale.ROOT).split("_"))
            .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
            .collect(Collectors.joining());
    return "Python" + kind + plan.functionReferences();
  }
}
