package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * STRING columns: one length-delimited UTF-8 entry per row (repeated strings cannot be packed).
 * Each entry is framed (tag, length, bytes) as it is added, so the batch is later copied out in
 * one piece; {@code getBytes(UTF_8)} is the JDK's fastest UTF-8 path for Latin-1 strings.
 */
final class StringColumnWriter implements ColumnWriter {

  private static final byte TAG =
      (byte) ((RowBatchFields.COLUMN_STRINGS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private final NullMask nulls = new NullMask();
  private byte[] framed = new byte[1024];
  private int length;
  private int size;

  @Override
  public void add(Object value) {
    byte[] utf8;
    if (value == null) {
      nulls.setNull(size);
      utf8 = new byte[0];
    } else {
      utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
    }
    ensureRoom(1 + 5 + utf8.length);
    framed[length++] = TAG;
    int n = utf8.length;
    while ((n & ~0x7F) != 0) {
      framed[length++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    framed[length++] = (byte) n;
    System.arraycopy(utf8, 0, framed, length, utf8.length);
    length += utf8.length;
    size++;
  }

  private void ensureRoom(int needed) {
    if (length + needed > framed.length) {
      framed = Arrays.copyOf(framed, Math.max(framed.length * 2, length + needed));
    }
  }

  @Override
  public int serializedSize(int rowCount) {
    return ColumnWriter.nullsSize(nulls, rowCount) + length;
  }

  @Override
  public void writeTo(CodedOutputStream out, int rowCount) throws IOException {
    ColumnWriter.writeNulls(out, nulls, rowCount);
    out.writeRawBytes(framed, 0, length);
  }

  @Override
  public void reset(int rowCount) {
    nulls.clear(rowCount);
    length = 0;
    size = 0;
  }
}
