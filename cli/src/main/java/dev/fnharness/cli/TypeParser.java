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
 * type   := NAME ['(' n (',' n)* ')']    a scalar type of {@link ColumnTypes}, any case:
 *                                         BIGINT, VARCHAR(10), DECIMAL(10, 2), TIMESTAMP(3)
 *         | TIMESTAMP ['(' p ')'] (WITH LOCAL TIME ZONE | WITHOUT TIME ZONE)
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
      default:
        return scalar(name);
    }
  }

  /**
   * {@code NAME}, {@code NAME(n)} or {@code NAME(p, s)}; for TIMESTAMP also Flink SQL's {@code
   * TIMESTAMP(p) WITH LOCAL TIME ZONE} (TIMESTAMP_LTZ) and {@code WITHOUT TIME ZONE}.
   */
  private ScalarType scalar(Token name) {
    List<Integer> parameters = new ArrayList<>();
    if (tokens.peek().is("(") && ColumnTypes.isScalar(name.text())) {
      tokens.advance();
      String written = name.text().toUpperCase(Locale.ROOT) + "(";
      while (true) {
        int value = integer("a parameter of " + written + "...)");
        parameters.add(value);
        written += (parameters.size() == 1 ? "" : ", ") + value;
        Token after = tokens.advance();
        if (after.is(")")) {
          break;
        }
        if (!after.is(",")) {
          throw tokens.errorAt(
              after, "expected ',' or ')' to close " + written + ", found " + after.shown());
        }
      }
    }
    String typeName = name.text();
    if (typeName.equalsIgnoreCase("TIMESTAMP")) {
      typeName = timeZoneSuffix();
    }
    try {
      return ColumnTypes.of(typeName, parameters);
    } catch (IllegalArgumentException e) {
      throw tokens.errorAt(name, e.getMessage());
    }
  }

  /** After TIMESTAMP[(p)]: WITH LOCAL TIME ZONE makes it TIMESTAMP_LTZ; WITHOUT TIME ZONE stays. */
  private String timeZoneSuffix() {
    if (tokens.peek().is("WITH")) {
      tokens.advance();
      expectWord("LOCAL", "in TIMESTAMP WITH LOCAL TIME ZONE");
      expectWord("TIME", "in TIMESTAMP WITH LOCAL TIME ZONE");
      expectWord("ZONE", "in TIMESTAMP WITH LOCAL TIME ZONE");
      return "TIMESTAMP_LTZ";
    }
    if (tokens.peek().is("WITHOUT")) {
      tokens.advance();
      expectWord("TIME", "in TIMESTAMP WITHOUT TIME ZONE");
      expectWord("ZONE", "in TIMESTAMP WITHOUT TIME ZONE");
    }
    return "TIMESTAMP";
  }

  private void expectWord(String word, String where) {
    Token token = tokens.advance();
    if (!token.is(word)) {
      throw tokens.errorAt(token, "expected " + word + " " + where + ", found " + token.shown());
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
    if (scalarKey.typeInfo().equals(ColumnTypes.BYTES_TYPE)) {
      throw tokens.errorAt(
          keyStart,
          "MAP keys cannot be "
              + key.name()
              + ": Java compares byte arrays by identity, not bytes");
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
