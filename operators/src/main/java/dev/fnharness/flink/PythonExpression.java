package dev.fnharness.flink;

import java.io.Serializable;
import java.util.Objects;
import java.util.Set;

/**
 * An argument of a Python function: an input column, a nested Python call, or a constant. Nested
 * calls are evaluated inside the worker, so {@code f(g(x), h(y))} costs one round trip:
 *
 * <pre>{@code
 * import static dev.fnharness.flink.PythonExpression.*;
 *
 * PythonScalarFunction.of("udfs:f")
 *     .args(call("udfs:g").args("x"), call("udfs:h").args(col("y"), lit(3)))
 *     .returns(Types.LONG).as("z");
 * }</pre>
 *
 * Only the outermost function's result comes back to Java, so inner calls need no result type: they
 * may return any Python object their caller accepts.
 */
public sealed interface PythonExpression extends Serializable
    permits PythonCall, PythonExpression.Column, PythonExpression.Literal {

  /** The input column {@code name}. */
  static Column col(String name) {
    return new Column(name);
  }

  /**
   * A call of the Python function {@code "module:function"}; add its arguments with {@code args}.
   */
  static PythonCall call(String reference) {
    return PythonCall.of(reference);
  }

  /**
   * A constant: a {@code Long}, {@code Integer}, {@code Short}, {@code Byte}, {@code Double},
   * {@code Float}, {@code Boolean}, {@code String}, or {@code null} (Python {@code None}).
   */
  static Literal lit(Object value) {
    return new Literal(value);
  }

  /** An input column, by name. */
  record Column(String name) implements PythonExpression {
    public Column {
      Objects.requireNonNull(name, "column name");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A constant argument, the same for every row. */
  record Literal(Object value) implements PythonExpression {
    private static final Set<Class<?>> SUPPORTED =
        Set.of(
            Long.class,
            Integer.class,
            Short.class,
            Byte.class,
            Double.class,
            Float.class,
            Boolean.class,
            String.class);

    public Literal {
      if (value != null && !SUPPORTED.contains(value.getClass())) {
        throw new IllegalArgumentException(
            "lit(...) takes a Long, Integer, Short, Byte, Double, Float, Boolean, String or null;"
                + " got "
                + value.getClass().getName()
                + " "
                + value);
      }
    }

    @Override
    public String toString() {
      return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
  }
}
