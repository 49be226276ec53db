package dev.fnharness.cli;

import java.lang.reflect.Array;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * {@code ARRAY<T>}: a JSON array such as {@code [1, null, 3]}. In Flink an object array ({@code
 * Types.OBJECT_ARRAY}, e.g. {@code Long[]}), so that elements may be null; Python sees a list.
 */
record ArrayType(ColumnType element) implements ColumnType {

  @Override
  public String name() {
    return "ARRAY<" + element.name() + ">";
  }

  @Override
  public TypeInformation<?> typeInfo() {
    return Types.OBJECT_ARRAY(element.typeInfo());
  }

  @Override
  public Object fromJson(JsonNode node, String path) {
    if (!node.isArray()) {
      throw new BadValueException(
          BadValueException.at(path)
              + "expected a JSON array for "
              + name()
              + ", found "
              + Json.kind(node));
    }
    // The array class Flink's serializer for the element type expects, e.g. Long[] or Row[].
    Object[] values = (Object[]) Array.newInstance(element.typeInfo().getTypeClass(), node.size());
    for (int i = 0; i < values.length; i++) {
      JsonNode item = node.get(i);
      values[i] = item.isNull() ? null : element.fromJson(item, path + "[" + i + "]");
    }
    return values;
  }

  @Override
  public boolean hasLimit() {
    return element.hasLimit();
  }

  @Override
  public Object fit(Object value, String path) {
    if (!element.hasLimit()) {
      return value;
    }
    Object[] items = (Object[]) value;
    Object[] fitted = (Object[]) Array.newInstance(element.typeInfo().getTypeClass(), items.length);
    for (int i = 0; i < items.length; i++) {
      fitted[i] = items[i] == null ? null : element.fit(items[i], path + "[" + i + "]");
    }
    return fitted;
  }

  @Override
  public JsonNode toJson(Object value) {
    ArrayNode array = Json.NODES.arrayNode();
    Iterable<?> items =
        value instanceof Object[] objects ? Arrays.asList(objects) : (Iterable<?>) value;
    for (Object item : items) {
      array.add(item == null ? Json.NODES.nullNode() : element.toJson(item));
    }
    return array;
  }
}
