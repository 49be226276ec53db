package dev.fnharness.cli;

/**
 * Fails the job on a bad input line when there is no reject file: {@code data.csv:17: field 2
 * 'size' (BIGINT): 'abc' is not a BIGINT}.
 */
public final class InputLineException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  InputLineException(String file, long lineNumber, String problem) {
    super(file + ":" + lineNumber + ": " + problem);
  }
}
