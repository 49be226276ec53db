package dev.fnharness.flink.internal.state;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.ColumnType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;

/**
 * The bytes that name a Flink key in {@code StateKey.*.key} (docs/protocol.md, "Keyed functions and
 * state"). The worker builds them from the key column's Python value, so the encoding is one both
 * languages write in a line: BIGINT and INT as 8 bytes big-endian, DOUBLE as its 8 IEEE 754 bytes
 * big-endian, BOOLEAN as one byte 0/1, STRING as UTF-8.
 */
@Internal
public final class StateKeyCodec {

  /**
   * The key types this encoding covers; other Flink key types are refused when the job is built.
   */
  public static final java.util.Set<ColumnType> SUPPORTED =
      java.util.Set.of(
          ColumnType.BIGINT,
          ColumnType.INT,
          ColumnType.DOUBLE,
          ColumnType.BOOLEAN,
          ColumnType.STRING);

  private final ColumnType keyType;

  public StateKeyCodec(ColumnType keyType) {
    this.keyType = keyType;
  }

  /**
   * @throws IllegalArgumentException naming the bytes when they do not encode a key of this type
   */
  Object decode(ByteString bytes) {
    switch (keyType.kind()) {
      case BIGINT -> {
        return ByteBuffer.wrap(eightBytes(bytes)).getLong();
      }
      case INT -> {
        long value = ByteBuffer.wrap(eightBytes(bytes)).getLong();
        if (value != (int) value) {
          throw new IllegalArgumentException("state key " + value + " is out of range for INT");
        }
        return (int) value;
      }
      case DOUBLE -> {
        return ByteBuffer.wrap(eightBytes(bytes)).getDouble();
      }
      case BOOLEAN -> {
        if (bytes.size() != 1 || (bytes.byteAt(0) & 0xFE) != 0) {
          throw new IllegalArgumentException(
              "a BOOLEAN state key is one byte 0 or 1, got " + hex(bytes));
        }
        return bytes.byteAt(0) == 1;
      }
      case STRING -> {
        if (!bytes.isValidUtf8()) {
          throw new IllegalArgumentException("a STRING state key must be UTF-8, got " + hex(bytes));
        }
        return bytes.toStringUtf8();
      }
      default -> throw new IllegalStateException("unhandled key type " + keyType);
    }
  }

  ByteString encode(Object key) {
    return switch (keyType.kind()) {
      case BIGINT, INT ->
          ByteString.copyFrom(ByteBuffer.allocate(8).putLong(((Number) key).longValue()).array());
      case DOUBLE -> ByteString.copyFrom(ByteBuffer.allocate(8).putDouble((Double) key).array());
      case BOOLEAN -> ByteString.copyFrom(new byte[] {(byte) ((Boolean) key ? 1 : 0)});
      case STRING -> ByteString.copyFrom(((String) key).getBytes(StandardCharsets.UTF_8));
      default -> throw new IllegalStateException("unhandled key type " + keyType);
    };
  }

  private byte[] eightBytes(ByteString bytes) {
    if (bytes.size() != 8) {
      throw new IllegalArgumentException(
          "a " + keyType + " state key is 8 bytes, got " + bytes.size() + ": " + hex(bytes));
    }
    return bytes.toByteArray();
  }

  private static String hex(ByteString bytes) {
    StringBuilder text = new StringBuilder("0x");
    for (int i = 0; i < Math.min(bytes.size(), 64); i++) {
      text.append(String.format("%02x", bytes.byteAt(i)));
    }
    return bytes.size() > 64 ? text + "..." : text.toString();
  }
}
