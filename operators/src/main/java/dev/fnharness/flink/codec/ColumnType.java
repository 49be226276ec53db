package dev.fnharness.flink.codec;

import dev.fnharness.proto.DataType;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/** The Flink column types that cross to Python, and how each travels in a RowBatch column. */
public enum ColumnType {
  BIGINT(Types.LONG, DataType.Kind.BIGINT),
  INT(Types.INT, DataType.Kind.INT),
  DOUBLE(Types.DOUBLE, DataType.Kind.DOUBLE),
  BOOLEAN(Types.BOOLEAN, DataType.Kind.BOOLEAN),
  STRING(Types.STRING, DataType.Kind.STRING);

  private final TypeInformation<?> typeInfo;
  private final DataType.Kind kind;

  ColumnType(TypeInformation<?> typeInfo, DataType.Kind kind) {
    this.typeInfo = typeInfo;
    this.kind = kind;
  }

  public TypeInformation<?> typeInfo() {
    return typeInfo;
  }

  public DataType toProto() {
    return DataType.newBuilder().setKind(kind).build();
  }

  /**
   * @param where names the column in the error, e.g. {@code "input column 'x'"}
   * @throws IllegalArgumentException for a type Python functions cannot take or return yet
   */
  public static ColumnType of(TypeInformation<?> typeInfo, String where) {
    for (ColumnType type : values()) {
      if (type.typeInfo.equals(typeInfo)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "The "
            + where
            + " has type "
            + typeInfo
            + ", which Python functions do not support; supported: Types.LONG (BIGINT),"
            + " Types.INT (INT), Types.DOUBLE (DOUBLE), Types.BOOLEAN (BOOLEAN),"
            + " Types.STRING (STRING)");
  }
}
