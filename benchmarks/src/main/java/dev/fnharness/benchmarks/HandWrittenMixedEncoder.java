package dev.fnharness.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.fnharness.proto.Column;
import dev.fnharness.proto.RowBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.flink.types.Row;

/**
 * The MIXED schema's RowBatch written by code that knows the schema: every column's work spelt out
 * in one loop body, positions in locals, no dispatch and no writer objects. Not for use: the floor
 * a generic row-at-a-time encoder could reach with code generated per schema, measured beside
 * {@code RowBatchEncoder} in {@link MixedFloorBenchmark}. Same bytes as the encoder (the
 * benchmark's set-up compares them).
 */
final class HandWrittenMixedEncoder {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLES =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte STRING_TAG =
      (byte) ((Column.STRINGS_FIELD_NUMBER << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private final byte[] longs;
  private final byte[] doubles;
  private final byte[] bools;
  private final byte[] ints;
  private final byte[] intNulls;
  private byte[] strings = new byte[1 << 16];

  /**
   * @param maxRows rows per batch; the fixed-width buffers do not grow
   */
  HandWrittenMixedEncoder(int maxRows) {
    longs = new byte[maxRows * 8];
    doubles = new byte[maxRows * 8];
    bools = new byte[maxRows];
    ints = new byte[maxRows * 8];
    intNulls = new byte[(maxRows + 7) / 8];
  }

  private boolean anyNull;
  private int stringLength;
  private int rowCount;

  /** Row by row, as the operator hands rows to {@code RowBatchEncoder}. */
  void add(Row row) {
    int r = rowCount;
    LONGS.set(longs, r << 3, ((Long) row.getField(0)).longValue());
    DOUBLES.set(doubles, r << 3, ((Double) row.getField(1)).doubleValue());
    bools[r] = (byte) (((Boolean) row.getField(3)) ? 1 : 0);
    Object value = row.getField(4);
    long number = 0;
    if (value == null) {
      intNulls[r >> 3] |= (byte) (1 << (r & 7));
      anyNull = true;
    } else {
      number = (Integer) value;
    }
    LONGS.set(ints, r << 3, number);
    byte[] utf8 = ((String) row.getField(2)).getBytes(StandardCharsets.UTF_8);
    int p = stringLength;
    if (p + 6 + utf8.length > strings.length) {
      strings = java.util.Arrays.copyOf(strings, strings.length * 2);
    }
    byte[] out = strings;
    out[p++] = STRING_TAG;
    int n = utf8.length;
    while ((n & ~0x7F) != 0) {
      out[p++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out[p++] = (byte) n;
    System.arraycopy(utf8, 0, out, p, utf8.length);
    stringLength = p + utf8.length;
    rowCount = r + 1;
  }

  ByteString finish() {
    ByteString batch = write(rowCount, stringLength, anyNull);
    java.util.Arrays.fill(intNulls, (byte) 0);
    anyNull = false;
    stringLength = 0;
    rowCount = 0;
    return batch;
  }

  private ByteString write(int rows, int stringLength, boolean anyNull) {
    int nullBytes = (rows + 7) / 8;
    int[] bodies = {
      packed(Column.LONGS_FIELD_NUMBER, rows * 8),
      packed(Column.DOUBLES_FIELD_NUMBER, rows * 8),
      stringLength,
      packed(Column.BOOLS_FIELD_NUMBER, rows),
      (anyNull ? CodedOutputStream.computeByteArraySizeNoTag(new byte[nullBytes]) + 1 : 0)
          + packed(Column.LONGS_FIELD_NUMBER, rows * 8)
    };
    int total = CodedOutputStream.computeInt32Size(RowBatch.ROW_COUNT_FIELD_NUMBER, rows);
    for (int body : bodies) {
      total += 1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
    }
    byte[] bytes = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeInt32(RowBatch.ROW_COUNT_FIELD_NUMBER, rows);
      column(out, bodies[0]);
      packed(out, Column.LONGS_FIELD_NUMBER, longs, rows * 8);
      column(out, bodies[1]);
      packed(out, Column.DOUBLES_FIELD_NUMBER, doubles, rows * 8);
      column(out, bodies[2]);
      out.writeRawBytes(strings, 0, stringLength);
      column(out, bodies[3]);
      packed(out, Column.BOOLS_FIELD_NUMBER, bools, rows);
      column(out, bodies[4]);
      if (anyNull) {
        out.writeByteArray(Column.NULLS_FIELD_NUMBER, intNulls, 0, nullBytes);
      }
      packed(out, Column.LONGS_FIELD_NUMBER, ints, rows * 8);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  private static int packed(int field, int length) {
    return length == 0
        ? 0
        : CodedOutputStream.computeTagSize(field)
            + CodedOutputStream.computeUInt32SizeNoTag(length)
            + length;
  }

  private static void column(CodedOutputStream out, int body) throws IOException {
    out.writeTag(RowBatch.COLUMNS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(body);
  }

  private static void packed(CodedOutputStream out, int field, byte[] values, int length)
      throws IOException {
    if (length > 0) {
      out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(length);
      out.writeRawBytes(values, 0, length);
    }
  }
}
