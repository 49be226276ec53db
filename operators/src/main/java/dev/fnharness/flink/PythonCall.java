package dev.fnharness.flink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Python function applied to arguments: {@code call("udfs:g").args("x")} as an argument of
 * another function (see {@link PythonExpression}). Immutable; each call returns a new one.
 */
public final class PythonCall implements PythonExpression {

  private static final long serialVersionUID = 1L;

  private final String module;
  private final String qualname;
  private final List<PythonExpression> arguments;

  private PythonCall(String module, String qualname, List<PythonExpression> arguments) {
    this.module = module;
    this.qualname = qualname;
    this.arguments = List.copyOf(arguments);
  }

  /**
   * @param reference {@code "module:function"}, e.g. {@code "udfs:add_one"} or {@code
   *     "pkg.mod:Class.method"}; the module must be importable from {@code python.files}
   */
  public static PythonCall of(String reference) {
    Objects.requireNonNull(reference, "reference");
    int colon = reference.indexOf(':');
    if (colon <= 0 || colon == reference.length() - 1 || reference.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "Python function reference '"
              + reference
              + "' must look like 'module:function', e.g. 'udfs:add_one'");
    }
    return new PythonCall(reference.substring(0, colon), reference.substring(colon + 1), List.of());
  }

  /** The arguments are these input columns, by name, in call order. */
  public PythonCall args(String... columns) {
    return new PythonCall(module, qualname, columnsOf(columns));
  }

  /** The arguments, in call order: columns, nested calls and constants. */
  public PythonCall args(PythonExpression first, PythonExpression... more) {
    return new PythonCall(module, qualname, listOf(first, more));
  }

  static List<PythonExpression> columnsOf(String... columns) {
    return Arrays.stream(columns).map(PythonExpression::col).collect(Collectors.toList());
  }

  static List<PythonExpression> listOf(PythonExpression first, PythonExpression... more) {
    List<PythonExpression> all = new ArrayList<>();
    all.add(Objects.requireNonNull(first, "argument"));
    for (PythonExpression e : more) {
      all.add(Objects.requireNonNull(e, "argument"));
    }
    return all;
  }

  PythonCall withArguments(List<PythonExpression> newArguments) {
    return new PythonCall(module, qualname, newArguments);
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

  public List<PythonExpression> arguments() {
    return arguments;
  }

  /** The last part of the qualified name, e.g. {@code add_one}: the default result name. */
  String shortName() {
    return qualname.substring(qualname.lastIndexOf('.') + 1);
  }

  /** E.g. {@code udfs:f(x, udfs:g(y), 3)}. */
  @Override
  public String toString() {
    return reference()
        + arguments.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
  }
}
