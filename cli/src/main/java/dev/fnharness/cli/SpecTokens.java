package dev.fnharness.cli;

import dev.fnharness.cli.SpecTokenizer.Kind;
import dev.fnharness.cli.SpecTokenizer.Token;
import java.util.List;

/**
 * A read position in one option's tokens, shared by the parsers that read that option in turn (a
 * {@code --udf} and the types inside it), so that each error points into the text the user wrote.
 */
final class SpecTokens {

  private final String option;
  private final String spec;
  private final List<Token> tokens;
  private int next;

  /** Tokenizes {@code spec}; errors name {@code option}. */
  SpecTokens(String option, String spec) {
    this.option = option;
    this.spec = spec;
    this.tokens = SpecTokenizer.tokenize(option, spec);
  }

  /** The next token, not consumed; {@link Kind#END} at the end. */
  Token peek() {
    return tokens.get(next);
  }

  /** The token after the next one, not consumed; {@link Kind#END} at the end. */
  Token peekSecond() {
    return tokens.get(Math.min(next + 1, tokens.size() - 1));
  }

  /** Consumes the next token; at the end it keeps returning {@link Kind#END}. */
  Token advance() {
    Token token = tokens.get(next);
    if (token.kind() != Kind.END) {
      next++;
    }
    return token;
  }

  SpecException errorAt(Token token, String problem) {
    return SpecException.at(option, spec, token.position(), problem);
  }
}
