package dev.fnharness.cli;

import dev.fnharness.flink.PythonCall;
import dev.fnharness.flink.PythonExpression;
import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.PythonTableFunction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One parsed {@code --udf} or {@code --table-udf}: the call and its result columns (one for a
 * scalar function, one or more for a table function).
 */
record UdfSpec(PythonCall call, List<String> resultNames, List<ColumnType> resultTypes) {

  UdfSpec {
    resultNames = List.copyOf(resultNames);
    resultTypes = List.copyOf(resultTypes);
  }

  /** The result columns, as the output (and later table UDFs) see them. */
  List<Schema.Column> resultColumns() {
    List<Schema.Column> columns = new ArrayList<>();
    for (int i = 0; i < resultNames.size(); i++) {
      columns.add(new Schema.Column(resultNames.get(i), resultTypes.get(i)));
    }
    return columns;
  }

  /** The input columns the call reads, its nested calls' included. */
  Set<String> columnsRead() {
    Set<String> names = new LinkedHashSet<>();
    addColumns(call, names);
    return names;
  }

  private static void addColumns(PythonExpression expression, Set<String> names) {
    if (expression instanceof PythonExpression.Column column) {
      names.add(column.name());
    } else if (expression instanceof PythonCall nested) {
      nested.arguments().forEach(argument -> addColumns(argument, names));
    }
  }

  PythonScalarFunction scalarFunction() {
    return withArguments(PythonScalarFunction.of(call.reference()))
        .returns(resultTypes.get(0).typeInfo())
        .as(resultNames.get(0));
  }

  PythonTableFunction tableFunction() {
    PythonTableFunction f = withArguments(PythonTableFunction.of(call.reference()));
    if (resultTypes.size() == 1) {
      return f.returns(resultTypes.get(0).typeInfo()).as(resultNames.get(0));
    }
    TypeInformation<?>[] types =
        resultTypes.stream().map(ColumnType::typeInfo).toArray(TypeInformation<?>[]::new);
    return f.returns(Types.ROW_NAMED(resultNames.toArray(String[]::new), types));
  }

  private PythonScalarFunction withArguments(PythonScalarFunction f) {
    List<PythonExpression> args = call.arguments();
    return args.isEmpty()
        ? f.args(new String[0])
        : f.args(args.get(0), args.subList(1, args.size()).toArray(PythonExpression[]::new));
  }

  private PythonTableFunction withArguments(PythonTableFunction f) {
    List<PythonExpression> args = call.arguments();
    return args.isEmpty()
        ? f.args(new String[0])
        : f.args(args.get(0), args.subList(1, args.size()).toArray(PythonExpression[]::new));
  }
}
