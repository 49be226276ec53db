package dev.fnharness.cli;

/** An input line that does not fit the schema; the message says where in the line and why. */
final class BadLineException extends Exception {

  private static final long serialVersionUID = 1L;

  BadLineException(String message) {
    super(message);
  }
}
