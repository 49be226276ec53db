package dev.fnharness.cli;

import static dev.fnharness.flink.PythonExpression.col;
import static dev.fnharness.flink.PythonExpression.lit;

import dev.fnharness.cli.SpecTokenizer.Kind;
import dev.fnharness.cli.SpecTokenizer.Token;
import dev.fnharness.flink.PythonCall;
import dev.fnharness.flink.PythonExpression;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a UDF spec:
 *
 * <pre>
 * --udf        module:function(arg, ...) AS name TYPE
 * --table-udf  module:function(arg, ...) AS name TYPE
 * --table-udf  module:function(arg, ...) AS (name TYPE, name TYPE, ...)
 * </pre>
 *
 * An argument is a column, a nested call {@code module:function(...)}, or a constant: a number, a
 * {@code 'string'} (a doubled quote inside stands for one), TRUE, FALSE or NULL.
 */
final class UdfSpecParser {

  private final SpecTokens tokens;
  private final List<String> columns;

  private UdfSpecParser(String option, String spec, List<String> columns) {
    this.tokens = new SpecTokens(option, spec);
    this.columns = columns;
  }

  /** A {@code --udf}: one result column. {@code columns} are those its arguments may name. */
  static UdfSpec scalar(String spec, List<String> columns) {
    UdfSpecParser parser = new UdfSpecParser("--udf", spec, columns);
    PythonCall call = parser.call();
    parser.expectKeyword("AS", "after the call");
    if (parser.tokens.peek().is("(")) {
      throw parser.tokens.errorAt(
          parser.tokens.peek(),
          "a --udf has one result column (name TYPE); several are for --table-udf");
    }
    UdfSpec result = parser.resultColumns(call, false);
    parser.expectEnd();
    return result;
  }

  /** A {@code --table-udf}: one result column, or several in parentheses. */
  static UdfSpec table(String spec, List<String> columns) {
    UdfSpecParser parser = new UdfSpecParser("--table-udf", spec, columns);
    PythonCall call = parser.call();
    parser.expectKeyword("AS", "after the call");
    UdfSpec result = parser.resultColumns(call, true);
    parser.expectEnd();
    return result;
  }

  private PythonCall call() {
    String reference = reference();
    Token open = tokens.advance();
    if (!open.is("(")) {
      throw tokens.errorAt(open, "expected '(' after " + reference + ", found " + open.shown());
    }
    List<PythonExpression> args = new ArrayList<>();
    if (tokens.peek().is(")")) {
      tokens.advance();
    } else {
      while (true) {
        args.add(argument());
        Token after = tokens.advance();
        if (after.is(")")) {
          break;
        }
        if (!after.is(",")) {
          throw tokens.errorAt(
              after,
              "expected ',' or ')' after an argument of " + reference + ", found " + after.shown());
        }
      }
    }
    PythonCall call = PythonCall.of(reference);
    if (args.isEmpty()) {
      return call;
    }
    return call.args(args.get(0), args.subList(1, args.size()).toArray(PythonExpression[]::new));
  }

  /** {@code module.sub:function.attr} */
  private String reference() {
    String module = dottedName("a Python module (module:function)");
    Token colon = tokens.advance();
    if (!colon.is(":")) {
      throw tokens.errorAt(
          colon,
          "expected ':' between module and function (e.g. udfs:add_one), found " + colon.shown());
    }
    String function = dottedName("a function name after ':'");
    return module + ":" + function;
  }

  private String dottedName(String what) {
    StringBuilder name = new StringBuilder(identifier(what).text());
    while (tokens.peek().is(".")) {
      tokens.advance();
      name.append('.').append(identifier(what).text());
    }
    return name.toString();
  }

  private PythonExpression argument() {
    Token token = tokens.peek();
    switch (token.kind()) {
      case NUMBER:
        tokens.advance();
        return lit(number(token));
      case STRING:
        tokens.advance();
        return lit(token.text());
      case IDENTIFIER:
        String upper = token.text().toUpperCase(Locale.ROOT);
        Token following = tokens.peekSecond();
        if (following.is(":") || following.is(".")) {
          return call();
        }
        if (following.is("(")) {
          throw tokens.errorAt(
              token,
              "function '" + token.text() + "' needs its module: module:" + token.text() + "(...)");
        }
        tokens.advance();
        switch (upper) {
          case "TRUE":
            return lit(Boolean.TRUE);
          case "FALSE":
            return lit(Boolean.FALSE);
          case "NULL":
            return lit(null);
          default:
            return column(token);
        }
      default:
        throw tokens.errorAt(
            token, "expected an argument (a column, a call or a constant), found " + token.shown());
    }
  }

  private PythonExpression column(Token token) {
    if (!columns.contains(token.text())) {
      throw tokens.errorAt(
          token,
          "there is no column '"
              + token.text()
              + "'; the columns are "
              + String.join(", ", columns));
    }
    return col(token.text());
  }

  private Object number(Token token) {
    String text = token.text();
    try {
      if (text.contains(".") || text.contains("e") || text.contains("E")) {
        return Double.parseDouble(text);
      }
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw tokens.errorAt(token, "'" + text + "' is not a number");
    }
  }

  /**
   * @param table whether a --table-udf's, for which one ROW column alone cannot be told apart
   */
  private UdfSpec resultColumns(PythonCall call, boolean table) {
    List<String> names = new ArrayList<>();
    List<ColumnType> types = new ArrayList<>();
    boolean parenthesized = tokens.peek().is("(");
    if (parenthesized) {
      tokens.advance();
    }
    Set<String> seen = new HashSet<>();
    Token rowAlone = null;
    while (true) {
      Token name = identifier("a result column name");
      if (!seen.add(name.text().toLowerCase(Locale.ROOT))) {
        throw tokens.errorAt(name, "result column '" + name.text() + "' appears twice");
      }
      Token typeStart = tokens.peek();
      ColumnType type = TypeParser.parse(tokens, "the type of result column '" + name.text() + "'");
      names.add(name.text());
      types.add(type);
      if (table && types.size() == 1 && type instanceof RowType) {
        rowAlone = typeStart;
      }
      if (!parenthesized) {
        break;
      }
      Token after = tokens.advance();
      if (after.is(")")) {
        break;
      }
      if (!after.is(",")) {
        throw tokens.errorAt(
            after, "expected ',' or ')' after a result column, found " + after.shown());
      }
    }
    if (rowAlone != null && types.size() == 1) {
      // PythonTableFunction takes a ROW result type as the columns, one per field
      throw tokens.errorAt(
          rowAlone,
          "a --table-udf with one ROW result column would yield its fields as columns: declare"
              + " them as the columns instead, AS (name TYPE, ...)");
    }
    return new UdfSpec(call, names, types);
  }

  private Token identifier(String what) {
    Token token = tokens.advance();
    if (token.kind() != Kind.IDENTIFIER) {
      throw tokens.errorAt(token, "expected " + what + ", found " + token.shown());
    }
    return token;
  }

  private void expectKeyword(String keyword, String where) {
    Token token = tokens.advance();
    if (!token.is(keyword)) {
      throw tokens.errorAt(token, "expected " + keyword + " " + where + ", found " + token.shown());
    }
  }

  private void expectEnd() {
    Token token = tokens.peek();
    if (token.kind() != Kind.END) {
      throw tokens.errorAt(token, "unexpected " + token.shown() + " after the result column");
    }
  }
}
