package dev.fnharness.cli;

/**
 * A mistake in a command-line spec ({@code --schema}, {@code --udf}, ...): the message names the
 * option, quotes the spec and points at the character where it went wrong.
 */
public final class SpecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private SpecException(String message) {
    super(message);
  }

  /**
   * @param option e.g. {@code "--udf"}
   * @param spec the option's value
   * @param position 0-based index into {@code spec} of the mistake
   * @param problem what is wrong there
   */
  public static SpecException at(String option, String spec, int position, String problem) {
    int column = Math.min(Math.max(position, 0), spec.length());
    return new SpecException(
        option
            + " \""
            + spec
            + "\": at character "
            + (column + 1)
            + ": "
            + problem
            + "\n    "
            + spec
            + "\n    "
            + " ".repeat(column)
            + "^");
  }

  /** A mistake that is about the whole spec, not one place in it. */
  public static SpecException about(String option, String spec, String problem) {
    return new SpecException(option + " \"" + spec + "\": " + problem);
  }
}
