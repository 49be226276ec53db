package dev.fnharness.cli;

/**
 * Where a record of the input ends: at the end of its line, unless the line leaves something open
 * that goes on over the line break, as a CSV field in quotes may (RFC 4180). Works on the bytes of
 * the file, before they are decoded: the characters that matter ({@code "}, {@code ,}, line breaks)
 * are ASCII, which UTF-8 never uses inside a multi-byte character.
 */
interface RecordFraming {

  /** One line, one record: JSON lines, whose strings cannot hold a raw line break. */
  RecordFraming ONE_LINE =
      new RecordFraming() {
        @Override
        public void startRecord() {}

        @Override
        public boolean continuesAfter(byte[] bytes, int from, int to) {
          return false;
        }

        @Override
        public int openAt() {
          return -1;
        }
      };

  /** Forgets the record before: the next line starts a record. */
  void startRecord();

  /**
   * Reads the next line of the record: {@code record[from, to)}, without its line break, where
   * {@code record} holds the record's bytes from its first line on.
   *
   * @return whether the record goes on to the next line
   */
  boolean continuesAfter(byte[] record, int from, int to);

  /**
   * Where what is still open at the end of the last line began (the opening quote), as an index
   * into the record's bytes, or -1 when nothing is open.
   */
  int openAt();
}
