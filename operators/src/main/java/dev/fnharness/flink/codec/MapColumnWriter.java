package dev.fnharness.flink.codec;

import java.util.Map;

/** MAP columns: per row its number of entries; the keys and the values of all rows as children. */
final class MapColumnWriter extends LengthsColumnWriter {

  private final ColumnWriter keys;
  private final ColumnWriter values;

  MapColumnWriter(ColumnWriter keys, ColumnWriter values) {
    super(keys, values);
    this.keys = keys;
    this.values = values;
  }

  @Override
  void addValue(Object value) {
    Map<?, ?> map = (Map<?, ?>) value;
    appendLength(map.size());
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      keys.add(entry.getKey());
      values.add(entry.getValue());
    }
  }
}
