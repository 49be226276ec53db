package dev.fnharness.cli;

/**
 * CSV records as RFC 4180 has them: a quoted field may hold line breaks, so a line that ends inside
 * one goes on to the next. Follows the same rules as {@link CsvFields#split}: a quote opens a field
 * only at its start, {@code ""} inside is a quote, and the field closes at the next lone quote.
 */
final class CsvRecordFraming implements RecordFraming {

  private enum State {
    FIELD_START,
    UNQUOTED,
    QUOTED,
    /** A quote inside a quoted field: the field's end, or the first of a doubled quote. */
    QUOTE_IN_QUOTED
  }

  private State state = State.FIELD_START;
  private int openingQuote = -1;

  @Override
  public void startRecord() {
    state = State.FIELD_START;
    openingQuote = -1;
  }

  @Override
  public boolean continuesAfter(byte[] bytes, int from, int to) {
    State s = state;
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      switch (s) {
        case FIELD_START:
          if (b == '"') {
            s = State.QUOTED;
            openingQuote = i;
          } else if (b != ',') {
            s = State.UNQUOTED;
          }
          break;
        case UNQUOTED:
          if (b == ',') {
            s = State.FIELD_START;
          }
          break;
        case QUOTED:
          if (b == '"') {
            s = State.QUOTE_IN_QUOTED;
          }
          break;
        case QUOTE_IN_QUOTED:
          if (b == '"') {
            s = State.QUOTED;
          } else if (b == ',') {
            s = State.FIELD_START;
          } else {
            s = State.UNQUOTED; // text after a closing quote: split says where; the field is shut
          }
          break;
        default:
          throw new IllegalStateException(s.name());
      }
    }
    if (s == State.QUOTE_IN_QUOTED) {
      s = State.FIELD_START; // the line ends right after the closing quote
    }
    boolean continues = s == State.QUOTED;
    state = continues ? State.QUOTED : State.FIELD_START;
    if (!continues) {
      openingQuote = -1;
    }
    return continues;
  }

  @Override
  public int openAt() {
    return openingQuote;
  }
}
