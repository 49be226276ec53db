package dev.fnharness.cli;

import dev.fnharness.cli.ColumnTypes.ColumnType;
import dev.fnharness.cli.SpecTokenizer.Kind;
import dev.fnharness.cli.SpecTokenizer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads {@code --schema "ip STRING, size BIGINT"}: column names and types, in order. */
final class SchemaParser {

  private static final String OPTION = "--schema";

  private SchemaParser() {}

  static Schema parse(String spec) {
    List<Token> tokens = SpecTokenizer.tokenize(OPTION, spec);
    List<Schema.Column> columns = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int i = 0;
    while (true) {
      Token name = tokens.get(i);
      if (name.kind() != Kind.IDENTIFIER) {
        throw SpecException.at(
            OPTION, spec, name.position(), "expected a column name, found " + name.shown());
      }
      Token type = tokens.get(i + 1);
      if (type.kind() != Kind.IDENTIFIER) {
        throw SpecException.at(
            OPTION,
            spec,
            type.position(),
            "expected the type of column '" + name.text() + "', found " + type.shown());
      }
      if (!names.add(name.text().toLowerCase(Locale.ROOT))) {
        throw SpecException.at(
            OPTION, spec, name.position(), "column '" + name.text() + "' appears twice");
      }
      columns.add(new Schema.Column(name.text(), typeAt(spec, type)));
      Token after = tokens.get(i + 2);
      if (after.kind() == Kind.END) {
        return new Schema(columns);
      }
      if (!after.is(",")) {
        throw SpecException.at(
            OPTION,
            spec,
            after.position(),
            "expected ',' before the next column, found " + after.shown());
      }
      i += 3;
    }
  }

  /** The type a token names, or an error pointing at it: shared by --schema and UDF specs. */
  static ColumnType typeAt(String option, String spec, Token type) {
    try {
      return ColumnTypes.of(type.text());
    } catch (IllegalArgumentException e) {
      throw SpecException.at(option, spec, type.position(), e.getMessage());
    }
  }

  private static ColumnType typeAt(String spec, Token type) {
    return typeAt(OPTION, spec, type);
  }
}
