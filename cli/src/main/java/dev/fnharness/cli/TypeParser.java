package dev.fnharness.cli;

import dev.fnharness.cli.SpecTokenizer.Kind;
import dev.fnharness.cli.SpecTokenizer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a type from a spec's tokens, by recursive descent:
 *
 * <pre>
 * type   := NAME                          a scalar type of {@link ColumnTypes}, any case
 *         | DECIMAL '(' p [',' s] ')'     DECIMAL(p) is DECIMAL(p, 0)
 *         | ARRAY '&lt;' type '&gt;'
 *         | MAP '&lt;' scalar ',' type '&gt;'    keys are JSON object keys, so scalar
 *         | ROW '&lt;' NAME type (',' NAME type)* '&gt;'
 * </pre>
 *
 * Errors point at the token where the type goes wrong.
 */
final class TypeParser {

  private final SpecTokens tokens;

  private TypeParser(SpecTokens tokens) {
    this.tokens = tokens;
  }

  /**
   * Reads one type from {@code tokens}, leaving them at the first token after it.
   *
   * @param what what the type is, for "expected the type of column 'x', found ..."
   * @throws SpecException pointing at the mistake
   */
  static ColumnType parse(SpecTokens tokens, String what) {
    return new TypeParser(tokens).type(what);
  }

  private ColumnType type(String what) {
    Token name = tokens.advance();
    if (name.kind() != Kind.IDENTIFIER) {
      throw tokens.errorAt(name, "expected " + what + ", found " + name.shown());
    }
    switch (name.text().toUpperCase(Locale.ROOT)) {
      case "ARRAY":
        return array();
      case "MAP":
        return map();
      case "ROW":
        return row();
      case "DECIMAL":
        if (tokens.peek().is("(")) {
          return decimal(name);
        }
        return ColumnTypes.of(name.text());
      default:
        try {
          return ColumnTypes.of(name.text());
        } catch (IllegalArgumentException e) {
          throw tokens.errorAt(name, e.getMessage());
        }
    }
  }

  private ColumnType array() {
    expect("<", "after ARRAY (ARRAY<T>)");
    ColumnType element = type("the element type of ARRAY");
    expect(">", "to close ARRAY<" + element.name());
    return new ArrayType(element);
  }

  private ColumnType map() {
    expect("<", "after MAP (MAP<K, V>)");
    Token keyStart = tokens.peek();
    ColumnType key = type("the key type of MAP");
    if (!(key instanceof ScalarType scalarKey)) {
      throw tokens.errorAt(
          keyStart,
          "MAP keys are JSON object keys, so their type is a scalar one, not " + key.name());
    }
    expect(",", "between the key and value types of MAP<" + key.name());
    ColumnType value = type("the value type of MAP<" + key.name() + ", ...>");
    expect(">", "to close MAP<" + key.name() + ", " + value.name());
    return new MapType(scalarKey, value);
  }

  private ColumnType row() {
    expect("<", "after ROW (ROW<name T, ...>)");
    List<String> names = new ArrayList<>();
    List<ColumnType> types = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (true) {
      Token name = tokens.advance();
      if (name.kind() != Kind.IDENTIFIER) {
        throw tokens.errorAt(name, "expected a field name of ROW, found " + name.shown());
      }
      if (!seen.add(name.text().toLowerCase(Locale.ROOT))) {
        throw tokens.errorAt(name, "ROW field '" + name.text() + "' appears twice");
      }
      names.add(name.text());
      types.add(type("the type of ROW field '" + name.text() + "'"));
      Token after = tokens.advance();
      if (after.is(">")) {
        return new RowType(names, types);
      }
      if (!after.is(",")) {
        throw tokens.errorAt(
            after,
            "expected ',' or '>' after ROW field '" + name.text() + "', found " + after.shown());
      }
    }
  }

  /** {@code DECIMAL(p, s)} or {@code DECIMAL(p)}, the name already read. */
  private ColumnType decimal(Token name) {
    tokens.advance(); // (
    int precision = integer("the precision of DECIMAL(p, s)");
    String written = "DECIMAL(" + precision;
    int scale = 0;
    if (tokens.peek().is(",")) {
      tokens.advance();
      scale = integer("the scale of DECIMAL(p, s)");
      written += ", " + scale;
    }
    expect(")", "to close " + written);
    try {
      return ColumnTypes.decimal(precision, scale);
    } catch (IllegalArgumentException e) {
      throw tokens.errorAt(name, e.getMessage());
    }
  }

  private int integer(String what) {
    Token token = tokens.advance();
    if (token.kind() == Kind.NUMBER) {
      try {
        return Integer.parseInt(token.text());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw tokens.errorAt(token, "expected " + what + ", a whole number, found " + token.shown());
  }

  private void expect(String symbol, String where) {
    Token token = tokens.advance();
    if (!token.is(symbol)) {
      throw tokens.errorAt(
          token, "expected '" + symbol + "' " + where + ", found " + token.shown());
    }
  }
}
