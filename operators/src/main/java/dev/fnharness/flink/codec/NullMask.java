package dev.fnharness.flink.codec;

import java.util.Arrays;

/** The {@code Column.nulls} bitmap of one column while a batch is filled. */
final class NullMask {

  private byte[] bits = new byte[16];
  private boolean anyNull;

  void setNull(int row) {
    int index = row >>> 3;
    if (index >= bits.length) {
      bits = Arrays.copyOf(bits, Math.max(bits.length * 2, index + 1));
    }
    bits[index] |= (byte) (1 << (row & 7));
    anyNull = true;
  }

  /** Room for rows 0 to {@code rows - 1}, for {@link #setReservedNull}. */
  void reserve(int rows) {
    if (bits.length < byteLength(rows)) {
      bits = Arrays.copyOf(bits, byteLength(rows));
    }
  }

  /**
   * {@link #setNull} for a row {@link #reserve} made room for: the encoder's per-row path then has
   * no growth branch, whose call (taken a few times in the first batch, so compiled in) would cost
   * the code after it its registers.
   */
  void setReservedNull(int row) {
    bits[row >>> 3] |= (byte) (1 << (row & 7));
    anyNull = true;
  }

  boolean anyNull() {
    return anyNull;
  }

  /** Bytes needed to cover {@code rowCount} rows; only meaningful when {@link #anyNull}. */
  static int byteLength(int rowCount) {
    return (rowCount + 7) >>> 3;
  }

  /** The bitmap, at least {@link #byteLength}({@code rowCount}) long (unset rows are 0). */
  byte[] bits(int rowCount) {
    if (bits.length < byteLength(rowCount)) {
      bits = Arrays.copyOf(bits, byteLength(rowCount));
    }
    return bits;
  }

  void clear(int rowCount) {
    if (anyNull) {
      Arrays.fill(bits, 0, Math.min(bits.length, byteLength(rowCount)), (byte) 0);
      anyNull = false;
    }
  }
}
