package dev.fnharness.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Splits an input file into records, each with the number of the line it starts on. A record is a
 * line, or several when {@link RecordFraming} says a line leaves a field open (CSV quotes); line
 * breaks are {@code \n}, {@code \r\n} or {@code \r}, and those inside a record stay in its text as
 * they are in the file. A UTF-8 byte order mark at the start of the file is skipped.
 *
 * <p>What cannot be read comes back as {@link Unreadable}, with the file's line number, the bytes
 * as they are in the file and the reason, and reading goes on with the next record: invalid UTF-8;
 * a quote that is never closed (reported at the line its record starts on; reading goes on after
 * the line of the quote, so that one stray quote costs its lines, not the rest of the file); a
 * record longer than the limit (a single line that long cannot be held, so its bytes are not kept).
 */
final class RecordReader implements Closeable {

  /** One record of the file, or what could not be read of it. */
  sealed interface Result permits Text, Unreadable {
    /** The line of the file the record starts on, from 1. */
    long line();

    /** How many lines of the file it takes. */
    int lines();
  }

  record Text(long line, int lines, String text) implements Result {}

  /**
   * @param verbatim the record's bytes as in the file (without the last line break), or null when
   *     the line is longer than the limit and was not kept
   */
  record Unreadable(long line, int lines, byte[] verbatim, String problem) implements Result {}

  private static final int BUFFER_BYTES = 64 * 1024;
  private static final int KEPT_RECORD_BYTES = 1024 * 1024;
  private static final int SHOWN_BYTES = 4;

  private final SeekableByteChannel in;
  private final RecordFraming framing;
  private final int maxRecordBytes;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).limit(0);

  /** The file position of {@code buffer}'s first byte. */
  private long bufferStart;

  private byte[] record = new byte[1024];
  private int size;

  /** A line of the record went past {@link #maxRecordBytes}: its bytes are not all in there. */
  private boolean overflow;

  private long nextLine = 1;
  private boolean started;

  /**
   * @param maxRecordBytes the most bytes a record may have
   */
  RecordReader(SeekableByteChannel in, RecordFraming framing, int maxRecordBytes) {
    this.in = in;
    this.framing = framing;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The next record, or null at the end of the file. */
  Result next() throws IOException {
    if (!started) {
      started = true;
      skipByteOrderMark();
    }
    if (record.length > KEPT_RECORD_BYTES) {
      record = new byte[1024]; // do not hold on to a huge record's buffer
    }
    framing.startRecord();
    size = 0;
    overflow = false;
    long first = nextLine;
    long recordStart = position();
    int lines = 0;
    while (true) {
      int lineStart = size;
      int lineBreak = readLine();
      if (lineBreak == NO_LINE) {
        return lines == 0 ? null : neverClosed(first, recordStart, "the file ends inside it");
      }
      lines++;
      nextLine++;
      if (overflow) {
        if (lines == 1) {
          return new Unreadable(first, 1, null, "the line is longer than " + limit() + tooLong());
        }
        return neverClosed(first, recordStart, "it is still open after " + limit() + tooLong());
      }
      if (!framing.continuesAfter(record, lineStart, size)) {
        return text(first, lines);
      }
      if (lineBreak == NO_BREAK) {
        return neverClosed(first, recordStart, "the file ends inside it");
      }
      byte[] kept = LINE_BREAKS[lineBreak];
      append(kept, 0, kept.length, LONGEST_BREAK); // kept even at the limit: it ends the line
    }
  }

  private String limit() {
    return String.format(Locale.ROOT, "%,d bytes", maxRecordBytes);
  }

  private static String tooLong() {
    return ", the most a record may have (--max-record-size)";
  }

  /**
   * The record up to the line of its open quote is unreadable; reading goes on on the line after.
   */
  private Unreadable neverClosed(long first, long recordStart, String why) throws IOException {
    int quote = framing.openAt();
    int lineStart = 0;
    int linesBefore = 0;
    for (int i = 0; i < quote; i++) {
      int breakLength = breakAt(i);
      if (breakLength > 0) {
        linesBefore++;
        i += breakLength - 1;
        lineStart = i + 1;
      }
    }
    int lineEnd = quote;
    while (lineEnd < size && breakAt(lineEnd) == 0) {
      lineEnd++;
    }
    int next = lineEnd + (lineEnd < size ? breakAt(lineEnd) : 0);
    seek(recordStart + next);
    nextLine = first + linesBefore + 1;
    int character =
        new String(record, lineStart, quote - lineStart, StandardCharsets.UTF_8).length();
    String where =
        "the quote at "
            + (linesBefore == 0 ? "" : "line " + (first + linesBefore) + ", ")
            + "character "
            + (character + 1)
            + " is never closed: "
            + why;
    return new Unreadable(first, linesBefore + 1, Arrays.copyOf(record, lineEnd), where);
  }

  /** The length of the line break at {@code record[i]}, 0 if there is none. */
  private int breakAt(int i) {
    if (record[i] == '\n') {
      return 1;
    }
    if (record[i] == '\r') {
      return i + 1 < size && record[i + 1] == '\n' ? 2 : 1;
    }
    return 0;
  }

  private Result text(long first, int lines) {
    boolean ascii = true;
    for (int i = 0; i < size && ascii; i++) {
      ascii = record[i] >= 0;
    }
    if (ascii) {
      return new Text(first, lines, new String(record, 0, size, StandardCharsets.ISO_8859_1));
    }
    ByteBuffer bytes = ByteBuffer.wrap(record, 0, size);
    CharBuffer chars = CharBuffer.allocate(size);
    utf8.reset();
    CoderResult result = utf8.decode(bytes, chars, true);
    if (result.isError()) {
      return new Unreadable(
          first,
          lines,
          Arrays.copyOf(record, size),
          invalidUtf8(first, bytes.position(), result.length()));
    }
    utf8.flush(chars);
    return new Text(first, lines, chars.flip().toString());
  }

  /** {@code invalid UTF-8 at byte 7 (0xC3 0x28)}, with the line when not the record's first. */
  private String invalidUtf8(long first, int at, int length) {
    int lineStart = 0;
    int linesBefore = 0;
    for (int i = 0; i < at; i++) {
      int breakLength = breakAt(i);
      if (breakLength > 0) {
        linesBefore++;
        i += breakLength - 1;
        lineStart = i + 1;
      }
    }
    StringBuilder shown = new StringBuilder();
    for (int i = at; i < Math.min(size, at + Math.max(length, SHOWN_BYTES)); i++) {
      shown.append(shown.length() == 0 ? "" : " ").append(String.format("0x%02X", record[i]));
    }
    return "invalid UTF-8 at byte "
        + (at - lineStart + 1)
        + (linesBefore == 0 ? "" : " of line " + (first + linesBefore))
        + " ("
        + shown
        + (at + SHOWN_BYTES < size ? " ..." : "")
        + ")";
  }

  // --- lines -----------------------------------------------------------------------------------

  private static final int NO_LINE = -1;
  private static final int NO_BREAK = 0;
  private static final byte[][] LINE_BREAKS = {{}, {'\n'}, {'\r', '\n'}, {'\r'}};
  private static final int LF = 1;
  private static final int CRLF = 2;
  private static final int CR = 3;
  private static final int LONGEST_BREAK = 2;

  /**
   * Appends the next line's bytes, without its break, to the record.
   *
   * @return which line break ended it (an index into {@link #LINE_BREAKS}), {@link #NO_BREAK} at
   *     the end of the file, or {@link #NO_LINE} when the file has ended before it
   */
  private int readLine() throws IOException {
    boolean any = false;
    while (true) {
      if (!buffer.hasRemaining() && !fill()) {
        return any ? NO_BREAK : NO_LINE;
      }
      any = true;
      byte[] bytes = buffer.array();
      int from = buffer.position();
      int end = buffer.limit();
      int i = from;
      while (i < end && bytes[i] != '\n' && bytes[i] != '\r') {
        i++;
      }
      append(bytes, from, i - from);
      if (i == end) {
        buffer.position(end);
        continue;
      }
      buffer.position(i + 1);
      if (bytes[i] == '\n') {
        return LF;
      }
      if (!buffer.hasRemaining() && !fill()) {
        return CR;
      }
      if (buffer.get(buffer.position()) == '\n') {
        buffer.position(buffer.position() + 1);
        return CRLF;
      }
      return CR;
    }
  }

  /** Adds to the record, up to the limit: past it only {@link #overflow} is set. */
  private void append(byte[] bytes, int from, int length) {
    append(bytes, from, length, 0);
  }

  private void append(byte[] bytes, int from, int length, int beyondLimit) {
    if (overflow || length == 0) {
      return;
    }
    if ((long) size + length > (long) maxRecordBytes + beyondLimit) {
      overflow = true;
      return;
    }
    if (size + length > record.length) {
      long capacity = Math.min((long) maxRecordBytes + LONGEST_BREAK, 2L * (size + length));
      record = Arrays.copyOf(record, (int) Math.min(capacity, Integer.MAX_VALUE - 8));
    }
    System.arraycopy(bytes, from, record, size, length);
    size += length;
  }

  /** Reads more of the file into the (used up) buffer; false at the end of the file. */
  private boolean fill() throws IOException {
    bufferStart += buffer.limit();
    buffer.clear();
    int read = 0;
    while (read == 0) {
      read = in.read(buffer);
    }
    buffer.flip();
    return read > 0;
  }

  private long position() {
    return bufferStart + buffer.position();
  }

  private void seek(long position) throws IOException {
    in.position(position);
    bufferStart = position;
    buffer.clear().limit(0);
  }

  private void skipByteOrderMark() throws IOException {
    if (fill()
        && buffer.remaining() >= 3
        && buffer.get(0) == (byte) 0xEF
        && buffer.get(1) == (byte) 0xBB
        && buffer.get(2) == (byte) 0xBF) {
      buffer.position(3);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
