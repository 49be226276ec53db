package dev.fnharness.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits and joins CSV lines (RFC 4180 quoting, one record per line). An empty unquoted field is
 * null, a quoted empty field {@code ""} is the empty string, so that nulls survive a round trip.
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
            throw new BadLineException(
                "the quote at character " + (opening + 1) + " is not closed on this line");
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
          throw new BadLineException("expected ',' after the quoted field at character " + (i + 1));
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
