package dev.fnharness.flink;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * A Python function that turns each row into zero or more rows, joined with the input row as a
 * lateral join would: a generator, or a function returning an iterable of rows or {@code None}.
 *
 * <pre>{@code
 * // def words(line):
 * //     yield from line.split()
 * PythonTableFunction.of("udfs:words").args("line").returns(Types.STRING).as("word");
 *
 * // def words_with_length(line):
 * //     for w in line.split():
 * //         yield w, len(w)
 * PythonTableFunction.of("udfs:words_with_length").args("line")
 *     .returns(Types.ROW_NAMED(new String[] {"word", "length"}, Types.STRING, Types.INT));
 * }</pre>
 *
 * A result of one column yields plain values; a result of several columns (a {@link RowTypeInfo})
 * yields tuples, one value per column. Immutable; each call returns a new description.
 */
public final class PythonTableFunction implements Serializable {

  private static final long serialVersionUID = 1L;

  private final PythonCall call;
  private final TypeInformation<?> resultType;
  private final List<String> names;

  private PythonTableFunction(PythonCall call, TypeInformation<?> resultType, List<String> names) {
    this.call = call;
    this.resultType = resultType;
    this.names = List.copyOf(names);
  }

  /**
   * @param reference {@code "module:function"}, importable from {@code python.files}
   */
  public static PythonTableFunction of(String reference) {
    return new PythonTableFunction(PythonCall.of(reference), null, List.of());
  }

  /** The input columns passed to the function, by name, in call order. */
  public PythonTableFunction args(String... columns) {
    return new PythonTableFunction(
        call.withArguments(PythonCall.columnsOf(columns)), resultType, names);
  }

  /**
   * The arguments, in call order: columns, nested calls and constants ({@link PythonExpression}).
   */
  public PythonTableFunction args(PythonExpression first, PythonExpression... more) {
    return new PythonTableFunction(
        call.withArguments(PythonCall.listOf(first, more)), resultType, names);
  }

  /**
   * The type of each yielded row: one column of a type such as {@code Types.STRING}, or several
   * named columns as a {@code Types.ROW_NAMED(...)}.
   */
  public PythonTableFunction returns(TypeInformation<?> type) {
    return new PythonTableFunction(call, Objects.requireNonNull(type, "type"), names);
  }

  /**
   * Names of the result columns. By default: the function's name for a one-column result, the row
   * type's field names for several.
   */
  public PythonTableFunction as(String... columnNames) {
    return new PythonTableFunction(call, resultType, Arrays.asList(columnNames));
  }

  public PythonCall call() {
    return call;
  }

  /** {@code module:qualname}, the way errors name the function. */
  public String reference() {
    return call.reference();
  }

  /** The declared result type, or null when {@link #returns} was not called. */
  public TypeInformation<?> resultType() {
    return resultType;
  }

  /**
   * @throws IllegalArgumentException when {@link #returns} is missing or {@link #as} gives the
   *     wrong number of names
   */
  public List<String> resultNames() {
    List<String> defaults =
        resultType instanceof RowTypeInfo row
            ? List.of(row.getFieldNames())
            : List.of(call.shortName());
    checkDeclared();
    if (names.isEmpty()) {
      return defaults;
    }
    if (names.size() != defaults.size()) {
      throw new IllegalArgumentException(
          "Python table function '"
              + reference()
              + "' returns "
              + defaults.size()
              + " column(s) but .as(...) names "
              + names.size()
              + ": "
              + names);
    }
    return names;
  }

  /** The result columns' types, in order. */
  public List<TypeInformation<?>> resultTypes() {
    checkDeclared();
    if (resultType instanceof RowTypeInfo row) {
      TypeInformation<?>[] types = new TypeInformation<?>[row.getArity()];
      for (int i = 0; i < types.length; i++) {
        types[i] = row.getTypeAt(i);
      }
      return List.of(types);
    }
    return List.of(resultType);
  }

  private void checkDeclared() {
    if (resultType == null) {
      throw new IllegalArgumentException(
          "Python table function '"
              + reference()
              + "' needs a result type: add .returns(Types.STRING), or"
              + " .returns(Types.ROW_NAMED(...)) for several columns");
    }
  }

  @Override
  public String toString() {
    return call + " -> " + (names.isEmpty() ? "" : names + " ") + resultType;
  }
}
