package dev.fnharness.flink.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The payload of a packed fixed-width field, little-endian as protobuf lays it out, filled value
 * by value. At the end of a batch it is copied out in one piece: no per-value encoding pass.
 */
final class FixedWidthBuffer {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLES =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes = new byte[512];
  private int length;

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

  void putBoolean(boolean value) {
    ensureRoom(1);
    bytes[length++] = (byte) (value ? 1 : 0);
  }

  private void ensureRoom(int needed) {
    if (length + needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + needed));
    }
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  void clear() {
    length = 0;
  }
}
