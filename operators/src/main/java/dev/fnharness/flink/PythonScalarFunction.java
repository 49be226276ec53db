package dev.fnharness.flink;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A Python function called once per row: {@code PythonScalarFunction.of("udfs:add_one")
 * .args("x").returns(Types.LONG).as("y")}. Arguments may be nested calls and constants ({@link
 * PythonExpression}). Immutable; each call returns a new description.
 */
public final class PythonScalarFunction implements Serializable {

  private static final long serialVersionUID = 1L;

  private final PythonCall call;
  private final TypeInformation<?> resultType;
  private final String resultName;

  private PythonScalarFunction(PythonCall call, TypeInformation<?> resultType, String resultName) {
    this.call = call;
    this.resultType = resultType;
    this.resultName = resultName;
  }

  /**
   * @param reference {@code "module:function"}, e.g. {@code "udfs:add_one"} or {@code
   *     "pkg.mod:Class.method"}; the module must be importable from {@code python.files}
   */
  public static PythonScalarFunction of(String reference) {
    PythonCall call = PythonCall.of(reference);
    return new PythonScalarFunction(call, null, call.shortName());
  }

  /** The input columns passed to the function, by name, in call order. */
  public PythonScalarFunction args(String... columns) {
    return new PythonScalarFunction(
        call.withArguments(PythonCall.columnsOf(columns)), resultType, resultName);
  }

  /**
   * The arguments, in call order: {@code col("x")}, nested calls {@code call("udfs:g").args(...)}
   * and constants {@code lit(3)} ({@link PythonExpression}).
   */
  public PythonScalarFunction args(PythonExpression first, PythonExpression... more) {
    return new PythonScalarFunction(
        call.withArguments(PythonCall.listOf(first, more)), resultType, resultName);
  }

  /** The type of the result column, e.g. {@code Types.LONG}. */
  public PythonScalarFunction returns(TypeInformation<?> type) {
    return new PythonScalarFunction(call, Objects.requireNonNull(type, "type"), resultName);
  }

  /** The name of the result column; the function's name by default. */
  public PythonScalarFunction as(String columnName) {
    return new PythonScalarFunction(call, resultType, Objects.requireNonNull(columnName));
  }

  /** The function and its arguments. */
  public PythonCall call() {
    return call;
  }

  public String module() {
    return call.module();
  }

  public String qualname() {
    return call.qualname();
  }

  /** {@code module:qualname}, the way errors name the function. */
  public String reference() {
    return call.reference();
  }

  public List<PythonExpression> arguments() {
    return call.arguments();
  }

  /** The declared result type, or null when {@link #returns} was not called. */
  public TypeInformation<?> resultType() {
    return resultType;
  }

  public String resultName() {
    return resultName;
  }

  @Override
  public String toString() {
    return call + " -> " + resultName + " " + resultType;
  }
}
