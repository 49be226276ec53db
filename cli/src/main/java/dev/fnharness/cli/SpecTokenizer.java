package dev.fnharness.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a spec such as {@code cdn_udf:ip_to_province(ip) AS province STRING} into tokens, each
 * with its position, so that parse errors can point at the character.
 */
final class SpecTokenizer {

  enum Kind {
    IDENTIFIER,
    NUMBER,
    STRING,
    SYMBOL,
    END
  }

  /**
   * @param text for STRING the unquoted value, otherwise as written
   */
  record Token(Kind kind, String text, int position) {

    boolean is(String symbolOrKeyword) {
      return (kind == Kind.SYMBOL || kind == Kind.IDENTIFIER)
          && text.equalsIgnoreCase(symbolOrKeyword);
    }

    /** How an error message shows the token. */
    String shown() {
      return switch (kind) {
        case END -> "the end";
        case STRING -> "'" + text.replace("'", "''") + "'";
        default -> "'" + text + "'";
      };
    }
  }

  private static final String SYMBOLS = "(),:.<>";

  private SpecTokenizer() {}

  static List<Token> tokenize(String option, String spec) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < spec.length()) {
      char c = spec.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < spec.length()
            && (Character.isLetterOrDigit(spec.charAt(i)) || spec.charAt(i) == '_')) {
          i++;
        }
        tokens.add(new Token(Kind.IDENTIFIER, spec.substring(start, i), start));
      } else if (Character.isDigit(c)
          || (c == '-' && i + 1 < spec.length() && Character.isDigit(spec.charAt(i + 1)))) {
        int start = i++;
        while (i < spec.length() && isNumberChar(spec, i)) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, spec.substring(start, i), start));
      } else if (c == '\'') {
        i = readString(option, spec, i, tokens);
      } else if (SYMBOLS.indexOf(c) >= 0) {
        tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
        i++;
      } else {
        throw SpecException.at(option, spec, i, "unexpected character '" + c + "'");
      }
    }
    tokens.add(new Token(Kind.END, "", spec.length()));
    return tokens;
  }

  private static boolean isNumberChar(String spec, int i) {
    char c = spec.charAt(i);
    if (Character.isDigit(c) || c == '.' || c == 'e' || c == 'E') {
      return true;
    }
    // a sign only right after an exponent marker
    char previous = spec.charAt(i - 1);
    return (c == '-' || c == '+') && (previous == 'e' || previous == 'E');
  }

  /** A quoted string; a doubled quote stands for one. Returns the index after the closing quote. */
  private static int readString(String option, String spec, int start, List<Token> tokens) {
    StringBuilder value = new StringBuilder();
    int i = start + 1;
    while (i < spec.length()) {
      char c = spec.charAt(i);
      if (c == '\'') {
        if (i + 1 < spec.length() && spec.charAt(i + 1) == '\'') {
          value.append('\'');
          i += 2;
          continue;
        }
        tokens.add(new Token(Kind.STRING, value.toString(), start));
        return i + 1;
      }
      value.append(c);
      i++;
    }
    throw SpecException.at(option, spec, start, "this string has no closing quote");
  }
}
