package dev.fnharness.flink.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;

/**
 * The fields of one {@code Column} message as read from the wire with a {@link CodedInputStream}:
 * value lists in primitive arrays that are kept from batch to batch, child columns as aliased
 * slices of the input (not copies). Accepts packed and unpacked repeated fields, as proto3 parsers
 * must. {@link ColumnReader} turns them into Java values.
 */
final class RawColumn {

  private static final int NULLS = delimited(RowBatchFields.COLUMN_NULLS);
  private static final int LONGS_PACKED = delimited(RowBatchFields.COLUMN_LONGS);
  private static final int LONGS_ONE = fixed64(RowBatchFields.COLUMN_LONGS);
  private static final int DOUBLES_PACKED = delimited(RowBatchFields.COLUMN_DOUBLES);
  private static final int DOUBLES_ONE = fixed64(RowBatchFields.COLUMN_DOUBLES);
  private static final int BOOLS_PACKED = delimited(RowBatchFields.COLUMN_BOOLS);
  private static final int BOOLS_ONE = varint(RowBatchFields.COLUMN_BOOLS);
  private static final int STRINGS = delimited(RowBatchFields.COLUMN_STRINGS);
  private static final int FLOATS_PACKED = delimited(RowBatchFields.COLUMN_FLOATS);
  private static final int FLOATS_ONE = fixed32(RowBatchFields.COLUMN_FLOATS);
  private static final int BINARIES = delimited(RowBatchFields.COLUMN_BINARIES);
  private static final int LENGTHS_PACKED = delimited(RowBatchFields.COLUMN_LENGTHS);
  private static final int LENGTHS_ONE = varint(RowBatchFields.COLUMN_LENGTHS);
  private static final int CHILDREN = delimited(RowBatchFields.COLUMN_CHILDREN);

  // What the last parse found; the arrays are kept for the next batch.
  ByteString nulls = ByteString.EMPTY;
  long[] longs = new long[0];
  int longCount;
  double[] doubles = new double[0];
  int doubleCount;
  float[] floats = new float[0];
  int floatCount;
  boolean[] bools = new boolean[0];
  int boolCount;
  String[] strings = new String[0];
  int stringCount;
  byte[][] binaries = new byte[0][];
  int binaryCount;
  int[] lengths = new int[0];
  int lengthCount;
  ByteString[] childBodies = new ByteString[0];
  int childCount;

  /** Names the column in errors. */
  private final String where;

  /** How many values the last parse found in {@code list}. */
  int count(ScalarKind.ValueList list) {
    return switch (list) {
      case LONGS -> longCount;
      case DOUBLES -> doubleCount;
      case FLOATS -> floatCount;
      case BOOLS -> boolCount;
      case STRINGS -> stringCount;
      case BINARIES -> binaryCount;
    };
  }

  RawColumn(String where) {
    this.where = where;
  }

  private static int delimited(int field) {
    return (field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  private static int varint(int field) {
    return (field << 3) | WireFormat.WIRETYPE_VARINT;
  }

  private static int fixed64(int field) {
    return (field << 3) | WireFormat.WIRETYPE_FIXED64;
  }

  private static int fixed32(int field) {
    return (field << 3) | WireFormat.WIRETYPE_FIXED32;
  }

  void parse(ByteString body) {
    nulls = ByteString.EMPTY;
    longCount = doubleCount = floatCount = boolCount = stringCount = binaryCount = 0;
    lengthCount = childCount = 0;
    CodedInputStream in = body.newCodedInput();
    in.enableAliasing(true);
    try {
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == LONGS_PACKED) {
          int bytes = in.readRawVarint32();
          longs = grow(longs, longCount + bytes / Long.BYTES);
          int limit = in.pushLimit(bytes);
          while (in.getBytesUntilLimit() > 0) {
            addLong(in.readSFixed64());
          }
          in.popLimit(limit);
        } else if (tag == DOUBLES_PACKED) {
          int bytes = in.readRawVarint32();
          doubles = grow(doubles, doubleCount + bytes / Double.BYTES);
          int limit = in.pushLimit(bytes);
          while (in.getBytesUntilLimit() > 0) {
            addDouble(in.readDouble());
          }
          in.popLimit(limit);
        } else if (tag == STRINGS) {
          if (stringCount == strings.length) {
            strings = Arrays.copyOf(strings, Math.max(16, stringCount * 2));
          }
          strings[stringCount++] = in.readStringRequireUtf8();
        } else if (tag == NULLS) {
          nulls = in.readBytes();
        } else if (tag == BOOLS_PACKED) {
          int bytes = in.readRawVarint32();
          int limit = in.pushLimit(bytes);
          while (in.getBytesUntilLimit() > 0) {
            addBool(in.readBool());
          }
          in.popLimit(limit);
        } else if (tag == FLOATS_PACKED) {
          int bytes = in.readRawVarint32();
          floats = grow(floats, floatCount + bytes / Float.BYTES);
          int limit = in.pushLimit(bytes);
          while (in.getBytesUntilLimit() > 0) {
            addFloat(in.readFloat());
          }
          in.popLimit(limit);
        } else if (tag == BINARIES) {
          if (binaryCount == binaries.length) {
            binaries = Arrays.copyOf(binaries, Math.max(16, binaryCount * 2));
          }
          binaries[binaryCount++] = in.readByteArray();
        } else if (tag == LENGTHS_PACKED) {
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            addLength(in.readUInt32());
          }
          in.popLimit(limit);
        } else if (tag == CHILDREN) {
          if (childCount == childBodies.length) {
            childBodies = Arrays.copyOf(childBodies, Math.max(2, childCount * 2));
          }
          childBodies[childCount++] = in.readBytes();
        } else if (tag == LONGS_ONE) { // proto3 parsers accept unpacked encodings too
          addLong(in.readSFixed64());
        } else if (tag == DOUBLES_ONE) {
          addDouble(in.readDouble());
        } else if (tag == BOOLS_ONE) {
          addBool(in.readBool());
        } else if (tag == FLOATS_ONE) {
          addFloat(in.readFloat());
        } else if (tag == LENGTHS_ONE) {
          addLength(in.readUInt32());
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("The worker sent a malformed " + where, e);
    }
  }

  private void addLong(long value) {
    if (longCount == longs.length) {
      longs = Arrays.copyOf(longs, Math.max(16, longCount * 2));
    }
    longs[longCount++] = value;
  }

  private void addDouble(double value) {
    if (doubleCount == doubles.length) {
      doubles = Arrays.copyOf(doubles, Math.max(16, doubleCount * 2));
    }
    doubles[doubleCount++] = value;
  }

  private void addFloat(float value) {
    if (floatCount == floats.length) {
      floats = Arrays.copyOf(floats, Math.max(16, floatCount * 2));
    }
    floats[floatCount++] = value;
  }

  private void addBool(boolean value) {
    if (boolCount == bools.length) {
      bools = Arrays.copyOf(bools, Math.max(16, boolCount * 2));
    }
    bools[boolCount++] = value;
  }

  private void addLength(int value) {
    if (lengthCount == lengths.length) {
      lengths = Arrays.copyOf(lengths, Math.max(16, lengthCount * 2));
    }
    lengths[lengthCount++] = value;
  }

  private static long[] grow(long[] array, int capacity) {
    return capacity <= array.length ? array : Arrays.copyOf(array, capacity);
  }

  private static double[] grow(double[] array, int capacity) {
    return capacity <= array.length ? array : Arrays.copyOf(array, capacity);
  }

  private static float[] grow(float[] array, int capacity) {
    return capacity <= array.length ? array : Arrays.copyOf(array, capacity);
  }

  /** Drops references into the last batch (strings, byte arrays, the input's bytes). */
  void release() {
    Arrays.fill(strings, 0, stringCount, null);
    Arrays.fill(binaries, 0, binaryCount, null);
    Arrays.fill(childBodies, 0, childCount, null);
    nulls = ByteString.EMPTY;
  }
}
