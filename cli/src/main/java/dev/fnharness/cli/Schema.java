package dev.fnharness.cli;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/** The columns of the input rows, as {@code --schema} names them. */
record Schema(List<Column> columns) implements Serializable {

  record Column(String name, ColumnType type) implements Serializable {}

  Schema {
    columns = List.copyOf(columns);
  }

  int size() {
    return columns.size();
  }

  Column column(int index) {
    return columns.get(index);
  }

  List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  RowTypeInfo rowType() {
    TypeInformation<?>[] types =
        columns.stream().map(c -> c.type().typeInfo()).toArray(TypeInformation<?>[]::new);
    return new RowTypeInfo(types, names().toArray(String[]::new));
  }
}
