package dev.fnharness.cli;

import dev.fnharness.cli.SpecTokenizer.Kind;
import dev.fnharness.cli.SpecTokenizer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code --schema "ip STRING, size BIGINT, tags ARRAY<STRING>"}: column names and types
 * ({@link TypeParser}), in order.
 */
final class SchemaParser {

  private static final String OPTION = "--schema";

  private SchemaParser() {}

  static Schema parse(String spec) {
    SpecTokens tokens = new SpecTokens(OPTION, spec);
    List<Schema.Column> columns = new ArrayList<>();
    Set<String> names = new HashSet<>();
    while (true) {
      Token name = tokens.advance();
      if (name.kind() != Kind.IDENTIFIER) {
        throw tokens.errorAt(name, "expected a column name, found " + name.shown());
      }
      ColumnType type = TypeParser.parse(tokens, "the type of column '" + name.text() + "'");
      if (!names.add(name.text().toLowerCase(Locale.ROOT))) {
        throw tokens.errorAt(name, "column '" + name.text() + "' appears twice");
      }
      columns.add(new Schema.Column(name.text(), type));
      Token after = tokens.advance();
      if (after.kind() == Kind.END) {
        return new Schema(columns);
      }
      if (!after.is(",")) {
        throw tokens.errorAt(after, "expected ',' before the next column, found " + after.shown());
      }
    }
  }
}
