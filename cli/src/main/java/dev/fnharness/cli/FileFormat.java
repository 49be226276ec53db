package dev.fnharness.cli;

import java.util.Locale;

/** The file formats of --input and --output, told by the file name unless given. */
enum FileFormat {
  CSV,
  JSONL;

  /**
   * @param explicit the --input-format / --output-format value, or null to go by the extension
   * @throws IllegalArgumentException when neither says
   */
  static FileFormat of(String option, String file, String explicit) {
    if (explicit != null) {
      try {
        return valueOf(explicit.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            option + "-format '" + explicit + "' is not one of: csv, jsonl");
      }
    }
    String name = file.toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return CSV;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return JSONL;
    }
    throw new IllegalArgumentException(
        option
            + " '"
            + file
            + "': cannot tell the format from the name (.csv, .jsonl, .ndjson, .json);"
            + " add "
            + option
            + "-format csv|jsonl");
  }

  LineParser parser(Schema schema) {
    return this == CSV ? new CsvLineParser(schema) : new JsonLineParser(schema);
  }
}
