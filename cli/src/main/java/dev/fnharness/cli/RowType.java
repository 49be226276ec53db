package dev.fnharness.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.types.Row;

/**
 * {@code ROW<name T, ...>}: a JSON object by field name ({@code {"a": 1, "b": "x"}}; a missing
 * field is null, an unknown one an error) or a JSON array by position ({@code [1, "x"]}). Written
 * as an object. In Flink {@code Types.ROW_NAMED}; Python sees a namedtuple.
 */
record RowType(List<String> names, List<ColumnType> types) implements ColumnType {

  RowType {
    names = List.copyOf(names);
    types = List.copyOf(types);
  }

  @Override
  public String name() {
    StringBuilder name = new StringBuilder("ROW<");
    for (int i = 0; i < names.size(); i++) {
      name.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(types.get(i).name());
    }
    return name.append('>').toString();
  }

  @Override
  public TypeInformation<?> typeInfo() {
    return Types.ROW_NAMED(
        names.toArray(String[]::new),
        types.stream().map(ColumnType::typeInfo).toArray(TypeInformation<?>[]::new));
  }

  @Override
  public Object fromJson(JsonNode node, String path) {
    Row row = new Row(names.size());
    if (node.isArray()) {
      if (node.size() != names.size()) {
        throw new BadValueException(
            BadValueException.at(path)
                + "expected "
                + names.size()
                + " values for "
                + name()
                + ", found "
                + node.size());
      }
      for (int i = 0; i < names.size(); i++) {
        row.setField(i, field(i, node.get(i), path));
      }
      return row;
    }
    if (!node.isObject()) {
      throw new BadValueException(
          BadValueException.at(path)
              + "expected a JSON object or array for "
              + name()
              + ", found "
              + Json.kind(node));
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      int i = names.indexOf(entry.getKey());
      if (i < 0) {
        throw new BadValueException(
            BadValueException.at(path) + name() + " has no field '" + entry.getKey() + "'");
      }
      row.setField(i, field(i, entry.getValue(), path));
    }
    return row;
  }

  private Object field(int i, JsonNode node, String path) {
    return node.isNull() ? null : types.get(i).fromJson(node, path + "." + names.get(i));
  }

  @Override
  public boolean hasLimit() {
    return types.stream().anyMatch(ColumnType::hasLimit);
  }

  @Override
  public Object fit(Object value, String path) {
    if (!hasLimit()) {
      return value;
    }
    Row row = (Row) value;
    Set<String> byName = row.getFieldNames(false);
    Row fitted = new Row(names.size());
    for (int i = 0; i < names.size(); i++) {
      Object field = byName == null ? row.getField(i) : row.getField(names.get(i));
      fitted.setField(i, field == null ? null : types.get(i).fit(field, path + "." + names.get(i)));
    }
    return fitted;
  }

  @Override
  public JsonNode toJson(Object value) {
    Row row = (Row) value;
    // Rows Flink deserializes are by position; a row built by name has its names.
    Set<String> byName = row.getFieldNames(false);
    ObjectNode object = Json.NODES.objectNode();
    for (int i = 0; i < names.size(); i++) {
      Object field = byName == null ? row.getField(i) : row.getField(names.get(i));
      object.set(names.get(i), field == null ? Json.NODES.nullNode() : types.get(i).toJson(field));
    }
    return object;
  }
}
