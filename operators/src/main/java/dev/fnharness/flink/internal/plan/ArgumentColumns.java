package dev.fnharness.flink.internal.plan;

import dev.fnharness.flink.PythonCall;
import dev.fnharness.flink.PythonExpression;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.proto.Call;
import dev.fnharness.proto.Expression;
import dev.fnharness.proto.Field;
import dev.fnharness.proto.Literal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * Turns argument expressions into their protos while collecting the input fields they read. Each
 * field travels to the worker once, as one batch column, however many calls read it.
 */
final class ArgumentColumns {

  private final RowTypeInfo input;
  private final Map<Integer, Integer> batchColumnOfField = new LinkedHashMap<>();
  private final List<ColumnType> types = new ArrayList<>();
  private final List<Field> fields = new ArrayList<>();

  ArgumentColumns(RowTypeInfo input) {
    this.input = input;
  }

  /** The call with its arguments; unknown columns and unsupported types fail here. */
  Call call(PythonCall call) {
    Call.Builder proto = Call.newBuilder().setModule(call.module()).setQualname(call.qualname());
    for (PythonExpression argument : call.arguments()) {
      proto.addArgs(expression(argument, call.reference()));
    }
    return proto.build();
  }

  /**
   * @param function the call the expression is an argument of, for messages
   */
  Expression expression(PythonExpression expression, String function) {
    Expression.Builder proto = Expression.newBuilder();
    if (expression instanceof PythonExpression.Column column) {
      proto.setColumn(batchColumn(column.name(), function));
    } else if (expression instanceof PythonExpression.Literal literal) {
      proto.setLiteral(literal(literal.value()));
    } else {
      proto.setCall(call((PythonCall) expression));
    }
    return proto.build();
  }

  private int batchColumn(String name, String function) {
    int field = input.getFieldIndex(name);
    if (field < 0) {
      throw new IllegalArgumentException(
          "Python function '"
              + function
              + "' takes column '"
              + name
              + "', which the input does not have; its columns are "
              + Arrays.toString(input.getFieldNames()));
    }
    Integer column = batchColumnOfField.get(field);
    if (column == null) {
      column = batchColumnOfField.size();
      batchColumnOfField.put(field, column);
      ColumnType type =
          ColumnType.of(
              input.getTypeAt(field),
              "input column '" + name + "' of Python function '" + function + "'");
      types.add(type);
      fields.add(Field.newBuilder().setName(name).setType(type.toProto()).build());
    }
    return column;
  }

  private static Literal literal(Object value) {
    Literal.Builder literal = Literal.newBuilder();
    if (value instanceof Double || value instanceof Float) {
      literal.setDoubleValue(((Number) value).doubleValue());
    } else if (value instanceof Number number) {
      literal.setLongValue(number.longValue());
    } else if (value instanceof Boolean bool) {
      literal.setBoolValue(bool);
    } else if (value instanceof String string) {
      literal.setStringValue(string);
    }
    // null: no value set, which the worker reads as None
    return literal.build();
  }

  /** For each batch column, the input field it is taken from. */
  int[] sourcePositions() {
    return batchColumnOfField.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  List<ColumnType> types() {
    return List.copyOf(types);
  }

  /** The batch columns' schema, as the payload's {@code input_columns}. */
  List<Field> fields() {
    return List.copyOf(fields);
  }
}
