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
      TypeParser.Parsed type =
          TypeParser.parse(OPTION, spec, tokens, i + 1, "the type of column '" + name.text() + "'");
      if (!names.add(name.text().toLowerCase(Locale.ROOT))) {
        throw SpecException.at(
            OPTION, spec, name.position(), "column '" + name.text() + "' appears twice");
      }
      columns.add(new Schema.Column(name.text(), type.type()));
      Token after = tokens.get(type.next());
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
      i = type.next() + 1;
    }
  }
}
