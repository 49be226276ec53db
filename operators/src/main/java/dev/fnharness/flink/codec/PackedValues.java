package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The payload of one packed fixed-width field ({@code longs}, {@code doubles}, {@code floats},
 * {@code bools}), kept in its wire layout, little-endian, as values arrive. Writing it is then one
 * bulk copy: no per-value encoding pass and no sizing pass. This is what makes the columnar encoder
 * faster than Flink's own {@code RowSerializer} (benchmarks/RESULTS.md).
 */
final class PackedValues {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLES =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOATS =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  private final int fieldNumber;
  private byte[] bytes = new byte[256];
  private int length;

  PackedValues(int fieldNumber) {
    this.fieldNumber = fieldNumber;
  }

  void putLong(long value) {
    ensureRoom(Long.BYTES);
    LONGS.set(bytes, length, value);
    length += Long.BYTES;
  }

  void putDouble(double value) {
    ensureRoom(Double.BYTES);
    DOUBLES.set(bytes, length, value);
    length += Double.BYTES;
  }

  void putFloat(float value) {
    ensureRoom(Float.BYTES);
    FLOATS.set(bytes, length, value);
    length += Float.BYTES;
  }

  void putBoolean(boolean value) {
    ensureRoom(1);
    bytes[length++] = (byte) (value ? 1 : 0);
  }

  /**
   * Row-indexed filling, for the encoder's top-level columns: value {@code index} goes to {@code
   * index * width} of the array {@link #reserve} returned, so the encoder's row count is the only
   * position kept per row and no value checks for room; {@link #seal} then sets the length the
   * values cover. The writer keeps the array itself, one load less per value.
   */
  static void setLong(byte[] bytes, int index, long value) {
    LONGS.set(bytes, index << 3, value);
  }

  static void setDouble(byte[] bytes, int index, double value) {
    DOUBLES.set(bytes, index << 3, value);
  }

  static void setBoolean(byte[] bytes, int index, boolean value) {
    bytes[index] = (byte) (value ? 1 : 0);
  }

  /** Room for {@code byteLength} bytes, those already set kept; the array to set them in. */
  byte[] reserve(int byteLength) {
    if (bytes.length < byteLength) {
      bytes = Arrays.copyOf(bytes, byteLength);
    }
    return bytes;
  }

  void seal(int byteLength) {
    length = byteLength;
  }

  private void ensureRoom(int needed) {
    if (length + needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + needed));
    }
  }

  /** Size of the whole field (tag, length, payload); 0 when empty, as proto3 omits it. */
  int serializedSize() {
    return ColumnWriter.packedSize(fieldNumber, length);
  }

  void writeTo(CodedOutputStream out) throws IOException {
    if (length > 0) {
      ColumnWriter.writePackedHeader(out, fieldNumber, length);
      out.writeRawBytes(bytes, 0, length);
    }
  }

  void clear() {
    length = 0;
  }
}
