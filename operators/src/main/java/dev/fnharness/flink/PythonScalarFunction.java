package dev.fnharness.flink;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A Python function called once per row: {@code PythonScalarFunction.of("udfs:add_one")
 * .args("x").returns(Types.LONG).as("y")}. Immutable; each call returns a new description.
 */
public final class PythonScalarFunction implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String module;
  private final String qualname;
  private final List<String> argumentColumns;
  private final TypeInformation<?> resultType;
  private final String resultName;

  private PythonScalarFunction(
      String module,
      String qualname,
      List<String> argumentColumns,
      TypeInformation<?> resultType,
      String resultName) {
    this.module = module;
    this.qualname = qualname;
    this.argumentColumns = List.copyOf(argumentColumns);
    this.resultType = resultType;
    this.resultName = resultName;
  }

  /**
   * @param reference {@code "module:function"}, e.g. {@code "udfs:add_one"} or {@code
   *     "pkg.mod:Class.method"}; the module must be importable from {@code python.files}
   */
  public static PythonScalarFunction of(String reference) {
    Objects.requireNonNull(reference, "reference");
    int colon = reference.indexOf(':');
    if (colon <= 0 || colon == reference.length() - 1 || reference.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "Python function reference '"
              + reference
              + "' must look like 'module:function', e.g. 'udfs:add_one'");
    }
    String qualname = reference.substring(colon + 1);
    return new PythonScalarFunction(
        reference.substring(0, colon), qualname, List.of(), null, lastPart(qualname));
  }

  /** The input columns passed to the function, by name, in call order. */
  public PythonScalarFunction args(String... columns) {
    return new PythonScalarFunction(module, qualname, List.of(columns), resultType, resultName);
  }

  /** The type of the result column, e.g. {@code Types.LONG}. */
  public PythonScalarFunction returns(TypeInformation<?> type) {
    return new PythonScalarFunction(
        module, qualname, argumentColumns, Objects.requireNonNull(type, "type"), resultName);
  }

  /** The name of the result column; the function's name by default. */
  public PythonScalarFunction as(String columnName) {
    return new PythonScalarFunction(
        module, qualname, argumentColumns, resultType, Objects.requireNonNull(columnName));
  }

  public String module() {
    return module;
  }

  public String qualname() {
    return qualname;
  }

  /** {@code module:qualname}, the way errors name the function. */
  public String reference() {
    return module + ":" + qualname;
  }

  public List<String> argumentColumns() {
    return argumentColumns;
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
    return reference() + argumentColumns + " -> " + resultName + " " + resultType;
  }

  private static String lastPart(String dotted) {
    return dotted.substring(dotted.lastIndexOf('.') + 1);
  }
}
