package dev.fnharness.flink;

import dev.fnharness.flink.internal.KeyedFunctionPlan;
import dev.fnharness.flink.internal.PythonConfig;
import dev.fnharness.flink.internal.PythonKeyedFunctionOperator;
import dev.fnharness.flink.internal.PythonScalarFunctionOperator;
import dev.fnharness.flink.internal.ScalarFunctionPlan;
import java.util.List;
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
 * }</pre>
 *
 * The stream's type must be a named {@link RowTypeInfo} (e.g. {@code Types.ROW_NAMED(...)}).
 * Worker settings ({@link PythonOptions}) come from the stream's execution environment.
 */
public final class PythonFunctions {

  private PythonFunctions() {}

  /**
   * Appends one column per function to every row. All functions run in one operator and share a
   * round trip to the worker.
   */
  public static SingleOutputStreamOperator<Row> scalar(
      DataStream<Row> input, PythonScalarFunction... functions) {
    if (!(input.getType() instanceof RowTypeInfo rowType)) {
      throw new IllegalArgumentException(
          "Python functions need a DataStream<Row> whose type is a RowTypeInfo with field names"
              + " (e.g. .returns(Types.ROW_NAMED(new String[] {\"x\"}, Types.LONG))); this"
              + " stream's type is "
              + input.getType());
    }
    ScalarFunctionPlan plan = ScalarFunctionPlan.of(rowType, List.of(functions));
    PythonConfig options = PythonConfig.capture(input.getExecutionEnvironment().getConfiguration());
    return input
        .transform(
            "PythonScalarFunction" + plan.functionReferences(),
            plan.outputType(),
            new PythonScalarFunctionOperator(plan, options))
        .name("Python " + String.join(", ", plan.functionReferences()));
  }

  /**
   * Calls a keyed Python function on every row of {@code input}; its output rows, zero or more
   * per row and per fired timer, form the returned stream:
   *
   * <pre>{@code
   * DataStream<Row> greetings = PythonFunctions.process(
   *     names.keyBy(row -> row.<String>getFieldAs("name"), Types.STRING),
   *     PythonKeyedFunction.of("greeter:greet")
   *         .returns(Types.ROW_NAMED(new String[] {"greeting"}, Types.STRING)));
   * }</pre>
   *
   * The function's state is Flink keyed state of the returned operator, checkpointed with it.
   * Keys may be {@code Long}, {@code Integer}, {@code String}, {@code Double} or {@code Boolean}.
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
    PythonConfig options = PythonConfig.capture(input.getExecutionEnvironment().getConfiguration());
    KeyedFunctionPlan plan =
        KeyedFunctionPlan.of(rowType, input.getKeyType(), function, options.stateCacheSize());
    return input
        .transform(
            "PythonKeyedFunction[" + plan.reference() + "]",
            plan.outputType(),
            new PythonKeyedFunctionOperator(plan, options))
        .name("Python " + plan.reference());
  }
}
