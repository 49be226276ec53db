package dev.fnharness.cli;

/**
 * A field's text or JSON does not fit its type, for a reason worth telling the user (where in a
 * nested value, or which limit it breaks); the message is that reason.
 */
final class BadValueException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  BadValueException(String reason) {
    super(reason);
  }

  /** {@code "at $[2]: "} before a reason about a part of a nested value; nothing for the whole. */
  static String at(String path) {
    return path.equals(Json.ROOT) ? "" : "at " + path + ": ";
  }
}
