package dev.fnharness.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits and joins CSV records (RFC 4180 quoting; a quoted field may hold line breaks, which {@link
 * CsvRecordFraming} keeps in the record). An empty unquoted field is null, a quoted empty field
 * {@code ""} is the empty string, so that nulls survive a round trip.
 */
final class CsvFields {

  private CsvFields() {}

  static List<String> split(String line) throws BadLineException {
    List<String> fields = new ArrayList<>();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == '"') {
        StringBuilder value = new StringBuilder();
        int opening = i++;
        while (true) {
          if (i >= line.length()) {
            throw new BadLineException("the quote at " + where(line, opening) + " is not closed");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < line.length() && line.charAt(i) == '"') {
              value.append('"');
              i++;
            } else {
              break;
            }
          } else {
            value.append(c);
          }
        }
        fields.add(value.toString());
        if (i < line.length() && line.charAt(i) != ',') {
          throw new BadLineException("expected ',' after the quoted field at " + where(line, i));
        }
      } else {
        int end = line.indexOf(',', i);
        String value = line.substring(i, end < 0 ? line.length() : end);
        fields.add(value.isEmpty() ? null : value);
        i = end < 0 ? line.length() : end;
      }
      if (i >= line.length()) {
        return fields;
      }
      i++; // the comma
      if (i == line.length()) {
        fields.add(null);
        return fields;
      }
    }
  }

  /**
   * {@code character 7}, or for a record of several lines {@code character 3 of its line 2}: the
   * file's line numbers are the parser's caller's to give.
   */
  private static String where(String record, int index) {
    int lineStart = 0;
    int line = 1;
    for (int i = 0; i < index; i++) {
      char c = record.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= record.length() || record.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    int character = index - lineStart + 1;
    return line == 1
        ? "character " + character
        : "character " + character + " of the record's line " + line;
  }

  /** One field as CSV: nulls empty, quoted when it must be. */
  static String quote(String text) {
    if (text == null) {
      return "";
    }
    boolean needsQuotes =
        text.isEmpty()
            || text.indexOf(',') >= 0
            || text.indexOf('"') >= 0
            || text.indexOf('\n') >= 0
            || text.indexOf('\r') >= 0;
    return needsQuotes ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
