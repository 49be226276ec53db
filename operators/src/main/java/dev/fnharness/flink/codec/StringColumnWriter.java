package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * STRING columns: one length-delimited UTF-8 entry per row (repeated strings cannot be packed).
 * Each value is turned into UTF-8 once, when added, by {@link String#getBytes} (an intrinsic copy
 * for Latin-1 strings), and framed right away (tag, length, bytes) into one buffer, so writing the
 * batch is a single bulk copy. Unpaired surrogates become '?'.
 */
class StringColumnWriter extends ColumnWriter {

  private static final byte TAG =
      (byte) ((RowBatchFields.COLUMN_STRINGS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private byte[] framed = new byte[1024];
  private int length;

  @Override
  final void addNullSlot() {
    append(EMPTY);
  }

  @Override
  final void addValue(Object value) {
    append(toText(value).getBytes(StandardCharsets.UTF_8));
  }

  private static final byte[] EMPTY = new byte[0];

  /**
   * The encoder's path for a top-level STRING column (this class, not a subclass: the value is
   * taken as a String, not through {@link #toText}); {@link #endRows} counts the rows at the end.
   */
  final void setString(int row, Object value) {
    if (value == null) {
      nulls.setReservedNull(row);
      append(EMPTY);
    } else {
      append(((String) value).getBytes(StandardCharsets.UTF_8));
    }
  }

  String toText(Object value) {
    return (String) value;
  }

  // Position and buffer in locals, and growing out of line: the encoder's generated code inlines
  // this, and every byte of it counts against the size C2 inlines into the caller.
  private void append(byte[] utf8) {
    int p = length;
    byte[] out = framed;
    if (p + 6 + utf8.length > out.length) {
      out = grow(p + 6 + utf8.length);
    }
    out[p++] = TAG;
    int n = utf8.length;
    while ((n & ~0x7F) != 0) {
      out[p++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out[p++] = (byte) n;
    System.arraycopy(utf8, 0, out, p, utf8.length);
    length = p + utf8.length;
  }

  private byte[] grow(int needed) {
    framed = Arrays.copyOf(framed, Math.max(framed.length * 2, needed));
    return framed;
  }

  @Override
  final int computeValuesSize() {
    return length;
  }

  @Override
  final void writeValues(CodedOutputStream out) throws IOException {
    out.writeRawBytes(framed, 0, length);
  }

  @Override
  final void reset() {
    length = 0;
    super.reset();
  }
}
