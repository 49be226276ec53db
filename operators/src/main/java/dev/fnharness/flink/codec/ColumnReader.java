package dev.fnharness.flink.codec;

import com.google.protobuf.ByteString;
import dev.fnharness.proto.DataType.Kind;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.types.Row;

/**
 * Turns one {@code Column} message of a known type into one Java object per value: {@link
 * RawColumn} reads the wire into reused primitive arrays (no message objects), this class boxes,
 * builds dates, arrays, maps and rows (through child readers), and applies the null bitmap. Values
 * have the Java classes Flink's serializers for the column's TypeInformation expect.
 */
final class ColumnReader {

  private final ColumnType type;
  private final Kind kind;

  /** The scalar type's reading, or null for ARRAY, MAP and ROW. */
  private final ScalarKind scalar;

  /** Names the column in errors, e.g. "result column 0 elements". */
  private final String where;

  private final ColumnReader[] children;

  private final RawColumn raw;

  ColumnReader(ColumnType type, String where) {
    this.type = type;
    this.kind = type.kind();
    this.scalar = ScalarKind.of(kind);
    this.where = where;
    this.raw = new RawColumn(where);
    this.children =
        switch (kind) {
          case ARRAY ->
              new ColumnReader[] {new ColumnReader(type.elementType(), where + " elements")};
          case MAP ->
              new ColumnReader[] {
                new ColumnReader(type.keyType(), where + " keys"),
                new ColumnReader(type.valueType(), where + " values")
              };
          case ROW -> {
            ColumnReader[] fields = new ColumnReader[type.fieldTypes().size()];
            for (int i = 0; i < fields.length; i++) {
              String field = where + " field '" + type.fieldNames().get(i) + "'";
              fields[i] = new ColumnReader(type.fieldTypes().get(i), field);
            }
            yield fields;
          }
          default -> new ColumnReader[0];
        };
  }

  /** The {@code count} values of a column whose serialized body is {@code body}. */
  Object[] read(ByteString body, int count) {
    raw.parse(body);
    Object[] values = new Object[count];
    try {
      convert(values, count);
      applyNulls(values, count);
    } finally {
      raw.release();
    }
    return values;
  }

  private void expect(int present, String list, int count) {
    if (present != count) {
      throw new IllegalStateException(
          "The worker sent "
              + present
              + " "
              + list
              + " in "
              + where
              + " ("
              + type
              + "), expected "
              + count);
    }
  }

  private ByteString child(int index, int count) {
    if (index < raw.childCount) {
      return raw.childBodies[index];
    }
    if (count == 0) {
      return ByteString.EMPTY;
    }
    throw new IllegalStateException(
        "The worker sent no child column " + index + " in " + where + " (" + type + ")");
  }

  private void convert(Object[] values, int count) {
    if (scalar != null) {
      expect(raw.count(scalar.list), "values", count);
      scalar.read(raw, values, count);
      return;
    }
    switch (kind) {
      case ARRAY -> convertArrays(values, count);
      case MAP -> convertMaps(values, count);
      case ROW -> convertRows(values, count);
      default -> throw new IllegalStateException("no reader for " + type);
    }
  }

  /** Checks the raw.lengths and returns the total number of elements. */
  private int totalLength(int count) {
    expect(raw.lengthCount, "lengths", count);
    long total = 0;
    for (int r = 0; r < count; r++) {
      total += raw.lengths[r] & 0xFFFFFFFFL;
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
      elements.raw.parse(child(0, total));
      try {
        elements.primitiveArrays(values, raw.lengths, count, total);
      } finally {
        elements.raw.release();
      }
      return;
    }
    Object[] all = elements.read(child(0, total), total);
    int offset = 0;
    if (type.arrayForm() == ColumnType.ArrayForm.LIST) {
      for (int r = 0; r < count; r++) {
        int length = raw.lengths[r];
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
        int length = raw.lengths[r];
        Object[] array = (Object[]) Array.newInstance(component, length);
        System.arraycopy(all, offset, array, 0, length);
        values[r] = array;
        offset += length;
      }
    }
  }

  /** This reader holds the elements of primitive arrays: slices them without boxing. */
  private void primitiveArrays(Object[] values, int[] rowLengths, int count, int total) {
    if (!raw.nulls.isEmpty()) {
      for (int i = 0; i < raw.nulls.size(); i++) {
        if (raw.nulls.byteAt(i) != 0) {
          throw new IllegalStateException(
              "The worker sent a null in " + where + ", elements of a Java primitive array");
        }
      }
    }
    if (scalar == null) {
      throw new IllegalStateException("no primitive arrays of " + type);
    }
    expect(raw.count(scalar.list), "values", total);
    scalar.readPrimitiveArrays(raw, values, rowLengths, count);
  }

  private void convertMaps(Object[] values, int count) {
    int total = totalLength(count);
    Object[] keys = children[0].read(child(0, total), total);
    Object[] items = children[1].read(child(1, total), total);
    int offset = 0;
    for (int r = 0; r < count; r++) {
      int length = raw.lengths[r];
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
    if (raw.childCount != arity && !(count == 0 && raw.childCount == 0)) {
      throw new IllegalStateException(
          "The worker sent "
              + raw.childCount
              + " field columns in "
              + where
              + " ("
              + type
              + "), expected "
              + arity);
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
    ByteString bits = raw.nulls;
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
