package dev.fnharness.flink.codec;

import java.util.List;
import java.util.RandomAccess;

/**
 * ARRAY columns: {@code T[]}, {@code List<T>} or a primitive array per row; the elements of all
 * rows go to one child column. Primitive arrays are copied without boxing.
 */
final class ArrayColumnWriter extends LengthsColumnWriter {

  private final ColumnWriter elements;

  ArrayColumnWriter(ColumnWriter elements) {
    super(elements);
    this.elements = elements;
  }

  @Override
  void addValue(Object value) {
    if (value instanceof Object[] array) {
      appendLength(array.length);
      for (Object element : array) {
        elements.add(element);
      }
    } else if (value instanceof List<?> list) {
      appendLength(list.size());
      if (list instanceof RandomAccess) {
        for (int i = 0, n = list.size(); i < n; i++) {
          elements.add(list.get(i));
        }
      } else {
        for (Object element : list) {
          elements.add(element);
        }
      }
    } else if (value instanceof long[] array) {
      appendLength(array.length);
      LongColumnWriter longs = (LongColumnWriter) elements;
      for (long element : array) {
        longs.addLong(element);
      }
    } else if (value instanceof int[] array) {
      appendLength(array.length);
      LongColumnWriter longs = (LongColumnWriter) elements;
      for (int element : array) {
        longs.addLong(element);
      }
    } else if (value instanceof short[] array) {
      appendLength(array.length);
      LongColumnWriter longs = (LongColumnWriter) elements;
      for (short element : array) {
        longs.addLong(element);
      }
    } else if (value instanceof double[] array) {
      appendLength(array.length);
      DoubleColumnWriter doubles = (DoubleColumnWriter) elements;
      for (double element : array) {
        doubles.addDouble(element);
      }
    } else if (value instanceof float[] array) {
      appendLength(array.length);
      FloatColumnWriter floats = (FloatColumnWriter) elements;
      for (float element : array) {
        floats.addFloat(element);
      }
    } else if (value instanceof boolean[] array) {
      appendLength(array.length);
      BooleanColumnWriter booleans = (BooleanColumnWriter) elements;
      for (boolean element : array) {
        booleans.addBoolean(element);
      }
    } else {
      throw new ClassCastException(
          value.getClass().getName() + " is not an array or a java.util.List");
    }
  }
}
