package dev.fnharness.flink.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.fnharness.proto.DataType.Kind;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.types.Row;

/**
 * Reads one {@code Column} message of a known type straight from the wire with a {@link
 * CodedInputStream}: the value lists go into primitive arrays that are reused from batch to batch,
 * then become one Java object per value. No message objects, and child columns are aliased slices
 * of the input, not copies.
 */
final class ColumnReader {

  private static final int NULLS = tag(RowBatchFields.COLUMN_NULLS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int LONGS_PACKED = tag(RowBatchFields.COLUMN_LONGS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int LONGS_ONE = tag(RowBatchFields.COLUMN_LONGS, WireFormat.WIRETYPE_VARINT);
  private static final int DOUBLES_PACKED = tag(RowBatchFields.COLUMN_DOUBLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int DOUBLES_ONE = tag(RowBatchFields.COLUMN_DOUBLES, WireFormat.WIRETYPE_FIXED64);
  private static final int BOOLS_PACKED = tag(RowBatchFields.COLUMN_BOOLS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int BOOLS_ONE = tag(RowBatchFields.COLUMN_BOOLS, WireFormat.WIRETYPE_VARINT);
  private static final int STRINGS = tag(RowBatchFields.COLUMN_STRINGS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int FLOATS_PACKED = tag(RowBatchFields.COLUMN_FLOATS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int FLOATS_ONE = tag(RowBatchFields.COLUMN_FLOATS, WireFormat.WIRETYPE_FIXED32);
  private static final int BINARIES = tag(RowBatchFields.COLUMN_BINARIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int LENGTHS_PACKED = tag(RowBatchFields.COLUMN_LENGTHS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int LENGTHS_ONE = tag(RowBatchFields.COLUMN_LENGTHS, WireFormat.WIRETYPE_VARINT);
  private static final int CHILDREN = tag(RowBatchFields.COLUMN_CHILDREN, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private static final long MICROS_PER_DAY = LongColumnWriter.MICROS_PER_DAY;

  private final ColumnType type;
  private final Kind kind;
  /** Names the column in errors, e.g. "result column 0 elements". */
  private final String where;

  private final ColumnReader[] children;

  // What the last parse found; the arrays are kept for the next batch.
  private ByteString nulls = ByteString.EMPTY;
  private long[] longs = new long[0];
  private int longCount;
  private double[] doubles = new double[0];
  private int doubleCount;
  private float[] floats = new float[0];
  private int floatCount;
  private boolean[] bools = new boolean[0];
  private int boolCount;
  private String[] strings = new String[0];
  private int stringCount;
  private byte[][] binaries = new byte[0][];
  private int binaryCount;
  private int[] lengths = new int[0];
  private int lengthCount;
  private ByteString[] childBodies = new ByteString[0];
  private int childCount;

  ColumnReader(ColumnType type, String where) {
    this.type = type;
    this.kind = type.kind();
    this.where = where;
    this.children =
        switch (kind) {
          case ARRAY -> new ColumnReader[] {new ColumnReader(type.elementType(), where + " elements")};
          case MAP ->
              new ColumnReader[] {
                new ColumnReader(type.keyType(), where + " keys"),
                new ColumnReader(type.valueType(), where + " values")
              };
          case ROW -> {
            ColumnReader[] fields = new ColumnReader[type.fieldTypes().size()];
            for (int i = 0; i < fields.length; i++) {
              fields[i] =
                  new ColumnReader(
                      type.fieldTypes().get(i), where + " field '" + type.fieldNames().get(i) + "'");
            }
            yield fields;
          }
          default -> new ColumnReader[0];
        };
  }

  private static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }

  /** The {@code count} values of a column whose serialized body is {@code body}. */
  Object[] read(ByteString body, int count) {
    parse(body);
    Object[] values = new Object[count];
    try {
      convert(values, count);
      applyNulls(values, count);
    } finally {
      release();
    }
    return values;
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing

  private void parse(ByteString body) {
    nulls = ByteString.EMPTY;
    longCount = doubleCount = floatCount = boolCount = stringCount = binaryCount = 0;
    lengthCount = childCount = 0;
    CodedInputStream in = body.newCodedInput();
    in.enableAliasing(true);
    try {
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == LONGS_PACKED) {
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            addLong(in.readSInt64());
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
          addLong(in.readSInt64());
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

  private static double[] grow(double[] array, int capacity) {
    return capacity <= array.length ? array : Arrays.copyOf(array, capacity);
  }

  private static float[] grow(float[] array, int capacity) {
    return capacity <= array.length ? array : Arrays.copyOf(array, capacity);
  }

  /** Drops references into the last batch (strings, byte arrays, the input's bytes). */
  private void release() {
    Arrays.fill(strings, 0, stringCount, null);
    Arrays.fill(binaries, 0, binaryCount, null);
    Arrays.fill(childBodies, 0, childCount, null);
    nulls = ByteString.EMPTY;
  }

  // ---------------------------------------------------------------------------------------------
  // Java values

  private void expect(int present, String list, int count) {
    if (present != count) {
      throw new IllegalStateException(
          "The worker sent " + present + " " + list + " in " + where + " (" + type + "), expected "
              + count);
    }
  }

  private ByteString child(int index, int count) {
    if (index < childCount) {
      return childBodies[index];
    }
    if (count == 0) {
      return ByteString.EMPTY;
    }
    throw new IllegalStateException(
        "The worker sent no child column " + index + " in " + where + " (" + type + ")");
  }

  private void convert(Object[] values, int count) {
    switch (kind) {
      case BIGINT -> {
        expect(longCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = longs[r];
      }
      case INT -> {
        expect(longCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = (int) longs[r];
      }
      case SMALLINT -> {
        expect(longCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = (short) longs[r];
      }
      case TINYINT -> {
        expect(longCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = (byte) longs[r];
      }
      case DATE -> {
        expect(longCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = LocalDate.ofEpochDay(longs[r]);
      }
      case TIME -> {
        expect(longCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = LocalTime.ofNanoOfDay(longs[r] * 1000);
      }
      case TIMESTAMP -> {
        expect(longCount, "values", count);
        for (int r = 0; r < count; r++) {
          long micros = longs[r];
          values[r] =
              LocalDateTime.of(
                  LocalDate.ofEpochDay(Math.floorDiv(micros, MICROS_PER_DAY)),
                  LocalTime.ofNanoOfDay(Math.floorMod(micros, MICROS_PER_DAY) * 1000));
        }
      }
      case TIMESTAMP_LTZ -> {
        expect(longCount, "values", count);
        for (int r = 0; r < count; r++) {
          long micros = longs[r];
          values[r] =
              Instant.ofEpochSecond(
                  Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
        }
      }
      case DOUBLE -> {
        expect(doubleCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = doubles[r];
      }
      case FLOAT -> {
        expect(floatCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = floats[r];
      }
      case BOOLEAN -> {
        expect(boolCount, "values", count);
        for (int r = 0; r < count; r++) values[r] = bools[r];
      }
      case STRING -> {
        expect(stringCount, "values", count);
        System.arraycopy(strings, 0, values, 0, count);
      }
      case DECIMAL -> {
        expect(stringCount, "values", count);
        for (int r = 0; r < count; r++) {
          String text = strings[r];
          values[r] = text.isEmpty() ? null : new BigDecimal(text); // "" is a null slot
        }
      }
      case BYTES -> {
        expect(binaryCount, "values", count);
        System.arraycopy(binaries, 0, values, 0, count);
      }
      case ARRAY -> convertArrays(values, count);
      case MAP -> convertMaps(values, count);
      case ROW -> convertRows(values, count);
      case KIND_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalStateException("no reader for " + type);
    }
  }

  /** Checks the lengths and returns the total number of elements. */
  private int totalLength(int count) {
    expect(lengthCount, "lengths", count);
    long total = 0;
    for (int r = 0; r < count; r++) {
      total += lengths[r] & 0xFFFFFFFFL;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("The worker sent " + total + " elements in " + where);
    }
    return (int) total;
  }

  private void convertArrays(Object[] values, int count) {
    int total = totalLength(count);
    ColumnReader elements = children[0];
    if (type.arrayForm() == ColumnType.ArrayForm.PRIMITIVE_ARRAY) {
      elements.parse(child(0, total));
      try {
        elements.primitiveArrays(values, lengths, count, total);
      } finally {
        elements.release();
      }
      return;
    }
    Object[] all = elements.read(child(0, total), total);
    int offset = 0;
    if (type.arrayForm() == ColumnType.ArrayForm.LIST) {
      for (int r = 0; r < count; r++) {
        int length = lengths[r];
        ArrayList<Object> list = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
          list.add(all[offset + i]);
        }
        values[r] = list;
        offset += length;
      }
    } else {
      Class<?> component = type.arrayComponentClass();
      for (int r = 0; r < count; r++) {
        int length = lengths[r];
        Object[] array = (Object[]) Array.newInstance(component, length);
        System.arraycopy(all, offset, array, 0, length);
        values[r] = array;
        offset += length;
      }
    }
  }

  /** This reader holds the elements of primitive arrays: slices them without boxing. */
  private void primitiveArrays(Object[] values, int[] rowLengths, int count, int total) {
    if (!nulls.isEmpty()) {
      for (int i = 0; i < nulls.size(); i++) {
        if (nulls.byteAt(i) != 0) {
          throw new IllegalStateException(
              "The worker sent a null in " + where + ", elements of a Java primitive array");
        }
      }
    }
    int offset = 0;
    switch (kind) {
      case BIGINT -> {
        expect(longCount, "values", total);
        for (int r = 0; r < count; r++) {
          values[r] = Arrays.copyOfRange(longs, offset, offset + rowLengths[r]);
          offset += rowLengths[r];
        }
      }
      case INT -> {
        expect(longCount, "values", total);
        for (int r = 0; r < count; r++) {
          int[] array = new int[rowLengths[r]];
          for (int i = 0; i < array.length; i++) array[i] = (int) longs[offset + i];
          values[r] = array;
          offset += array.length;
        }
      }
      case SMALLINT -> {
        expect(longCount, "values", total);
        for (int r = 0; r < count; r++) {
          short[] array = new short[rowLengths[r]];
          for (int i = 0; i < array.length; i++) array[i] = (short) longs[offset + i];
          values[r] = array;
          offset += array.length;
        }
      }
      case DOUBLE -> {
        expect(doubleCount, "values", total);
        for (int r = 0; r < count; r++) {
          values[r] = Arrays.copyOfRange(doubles, offset, offset + rowLengths[r]);
          offset += rowLengths[r];
        }
      }
      case FLOAT -> {
        expect(floatCount, "values", total);
        for (int r = 0; r < count; r++) {
          values[r] = Arrays.copyOfRange(floats, offset, offset + rowLengths[r]);
          offset += rowLengths[r];
        }
      }
      case BOOLEAN -> {
        expect(boolCount, "values", total);
        for (int r = 0; r < count; r++) {
          values[r] = Arrays.copyOfRange(bools, offset, offset + rowLengths[r]);
          offset += rowLengths[r];
        }
      }
      default -> throw new IllegalStateException("no primitive arrays of " + type);
    }
  }

  private void convertMaps(Object[] values, int count) {
    int total = totalLength(count);
    Object[] keys = children[0].read(child(0, total), total);
    Object[] items = children[1].read(child(1, total), total);
    int offset = 0;
    for (int r = 0; r < count; r++) {
      int length = lengths[r];
      Map<Object, Object> map = new HashMap<>(Math.max(4, (int) (length / 0.75f) + 1));
      for (int i = offset; i < offset + length; i++) {
        map.put(keys[i], items[i]);
      }
      values[r] = map;
      offset += length;
    }
  }

  private void convertRows(Object[] values, int count) {
    int arity = children.length;
    if (childCount != arity && !(count == 0 && childCount == 0)) {
      throw new IllegalStateException(
          "The worker sent " + childCount + " field columns in " + where + " (" + type
              + "), expected " + arity);
    }
    Object[][] fields = new Object[arity][];
    for (int f = 0; f < arity; f++) {
      fields[f] = children[f].read(child(f, count), count);
    }
    for (int r = 0; r < count; r++) {
      Row row = Row.withPositions(arity);
      for (int f = 0; f < arity; f++) {
        row.setField(f, fields[f][r]);
      }
      values[r] = row;
    }
  }

  private void applyNulls(Object[] values, int count) {
    ByteString bits = nulls;
    for (int byteIndex = 0, n = bits.size(); byteIndex < n; byteIndex++) {
      int set = bits.byteAt(byteIndex) & 0xFF;
      while (set != 0) {
        int row = (byteIndex << 3) + Integer.numberOfTrailingZeros(set);
        if (row < count) {
          values[row] = null;
        }
        set &= set - 1;
      }
    }
  }
}
