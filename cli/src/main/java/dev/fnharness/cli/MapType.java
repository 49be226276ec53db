package dev.fnharness.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code MAP<K, V>}: a JSON object such as {@code {"a": 1.5, "b": null}}. Its keys are JSON text,
 * so K is a scalar type, read from the key as from a CSV field ({@code {"1": "x"}} for {@code
 * MAP<INT, STRING>}). In Flink {@code Types.MAP}; Python sees a dict.
 */
record MapType(ScalarType key, ColumnType value) implements ColumnType {

  @Override
  public String name() {
    return "MAP<" + key.name() + ", " + value.name() + ">";
  }

  @Override
  public TypeInformation<?> typeInfo() {
    return Types.MAP(key.typeInfo(), value.typeInfo());
  }

  @Override
  public Object fromJson(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new BadValueException(
          BadValueException.at(path)
              + "expected a JSON object for "
              + name()
              + ", found "
              + Json.kind(node));
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String quotedKey = Json.NODES.textNode(entry.getKey()).toString();
      Object k = key.fromJson(Json.NODES.textNode(entry.getKey()), path + " key " + quotedKey);
      JsonNode v = entry.getValue();
      map.put(k, v.isNull() ? null : value.fromJson(v, path + "[" + quotedKey + "]"));
    }
    return map;
  }

  @Override
  public boolean hasLimit() {
    return key.hasLimit() || value.hasLimit();
  }

  @Override
  public Object fit(Object map, String path) {
    if (!hasLimit()) {
      return map;
    }
    Map<Object, Object> fitted = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) map).entrySet()) {
      Object k = entry.getKey();
      String quotedKey = k == null ? "null" : Json.write(key.toJson(k));
      Object v = entry.getValue();
      fitted.put(
          k == null ? null : key.fit(k, path + " key " + quotedKey),
          v == null ? null : value.fit(v, path + "[" + quotedKey + "]"));
    }
    return fitted;
  }

  @Override
  public JsonNode toJson(Object value) {
    ObjectNode object = Json.NODES.objectNode();
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
      Object v = entry.getValue();
      object.set(
          String.valueOf(entry.getKey() == null ? null : key.format(entry.getKey())),
          v == null ? Json.NODES.nullNode() : this.value.toJson(v));
    }
    return object;
  }
}
