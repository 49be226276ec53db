package dev.fnharness.flink;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * A Python function called once per row of a keyed stream, with a context that knows the key, holds
 * the key's state and registers timers. It returns or yields zero or more output rows:
 *
 * <pre>{@code
 * PythonKeyedFunction.of("greeter:greet")
 *     .returns(Types.ROW_NAMED(new String[] {"greeting"}, Types.STRING))
 *     .onTimer("greeter:forget")
 *     .stateTtl(Duration.ofDays(7));
 * }</pre>
 *
 * Immutable; each call returns a new description. Run it with {@link PythonFunctions#process}.
 */
public final class PythonKeyedFunction implements Serializable {

  private static final long serialVersionUID = 1L;

  private final PythonScalarFunction function;
  private final PythonScalarFunction timerFunction;
  private final RowTypeInfo outputType;
  private final Duration stateTtl;

  private PythonKeyedFunction(
      PythonScalarFunction function,
      PythonScalarFunction timerFunction,
      RowTypeInfo outputType,
      Duration stateTtl) {
    this.function = function;
    this.timerFunction = timerFunction;
    this.outputType = outputType;
    this.stateTtl = stateTtl;
  }

  /**
   * @param reference {@code "module:function"} of {@code f(ctx, row)}, e.g. {@code
   *     "greeter:greet"}; the module must be importable from {@code python.files}
   */
  public static PythonKeyedFunction of(String reference) {
    // PythonScalarFunction.of checks and splits the reference the same way for every function.
    return new PythonKeyedFunction(PythonScalarFunction.of(reference), null, null, null);
  }

  /** The type of the output rows: a named row type, e.g. {@code Types.ROW_NAMED(...)}. */
  public PythonKeyedFunction returns(TypeInformation<Row> rowType) {
    Objects.requireNonNull(rowType, "rowType");
    if (!(rowType instanceof RowTypeInfo named)) {
      throw new IllegalArgumentException(
          "Python function '"
              + reference()
              + "' must return a named row type such as Types.ROW_NAMED(new String[] {\"greeting\"},"
              + " Types.STRING), not "
              + rowType);
    }
    return new PythonKeyedFunction(function, timerFunction, named, stateTtl);
  }

  /**
   * The function {@code g(ctx, timestamp)} called when a timer of a key fires; it sees the key's
   * state and returns or yields rows like the main function.
   */
  public PythonKeyedFunction onTimer(String reference) {
    return new PythonKeyedFunction(
        function, PythonScalarFunction.of(reference), outputType, stateTtl);
  }

  /**
   * Lets Flink drop a state entry this long after it was last written (Flink's {@code
   * StateTtlConfig}, update on create and write, expired values never returned).
   */
  public PythonKeyedFunction stateTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "Python function '" + reference() + "': state TTL must be positive, was " + ttl);
    }
    return new PythonKeyedFunction(function, timerFunction, outputType, ttl);
  }

  public String module() {
    return function.module();
  }

  public String qualname() {
    return function.qualname();
  }

  /** {@code module:qualname}, the way errors name the function. */
  public String reference() {
    return function.reference();
  }

  /** The timer function's {@code module:qualname}, or null when there is none. */
  public String timerReference() {
    return timerFunction == null ? null : timerFunction.reference();
  }

  public String timerModule() {
    return timerFunction == null ? "" : timerFunction.module();
  }

  public String timerQualname() {
    return timerFunction == null ? "" : timerFunction.qualname();
  }

  /** The declared output row type, or null when {@link #returns} was not called. */
  public RowTypeInfo outputType() {
    return outputType;
  }

  /** The state TTL, or null when state lives until it is cleared. */
  public Duration stateTtl() {
    return stateTtl;
  }

  @Override
  public String toString() {
    return reference() + " -> " + outputType + (stateTtl == null ? "" : " ttl " + stateTtl);
  }
}
