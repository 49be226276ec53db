package dev.fnharness.flink.codec;

import dev.fnharness.flink.DecimalTypeInfo;
import dev.fnharness.proto.DataType;
import dev.fnharness.proto.DataType.Kind;
import dev.fnharness.proto.Field;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.NullableSerializer;

/**
 * A Flink type that crosses to Python, and how it travels in a RowBatch column: its {@link
 * DataType.Kind}, plus element, key, value or field types for nested ones. Built from a {@link
 * TypeInformation} by {@link #of}; two column types are equal when their TypeInformation is.
 *
 * <p>Supported: {@code Types.BYTE, SHORT, INT, LONG} (TINYINT..BIGINT), {@code FLOAT, DOUBLE,
 * BOOLEAN, STRING}, {@code PRIMITIVE_ARRAY(BYTE)} (BYTES), {@code BIG_DEC} (DECIMAL of any scale)
 * and {@link dev.fnharness.flink.PythonTypes#DECIMAL} (DECIMAL(p, s)), {@code LOCAL_DATE,
 * LOCAL_TIME, LOCAL_DATE_TIME, INSTANT}; and nested to any depth: {@code OBJECT_ARRAY(t)}, {@code
 * LIST(t)} and primitive arrays ({@code long[]}, {@code int[]}, ...) as ARRAY, {@code MAP(k, v)},
 * {@code ROW(...)} / {@code ROW_NAMED(...)}.
 */
public final class ColumnType implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final ColumnType BIGINT = scalar(Kind.BIGINT, Types.LONG);
  public static final ColumnType INT = scalar(Kind.INT, Types.INT);
  public static final ColumnType DOUBLE = scalar(Kind.DOUBLE, Types.DOUBLE);
  public static final ColumnType BOOLEAN = scalar(Kind.BOOLEAN, Types.BOOLEAN);
  public static final ColumnType STRING = scalar(Kind.STRING, Types.STRING);

  /** How an ARRAY column's values look in Java. */
  enum ArrayForm {
    /** {@code T[]}: {@code Types.OBJECT_ARRAY}, {@code BasicArrayTypeInfo}. */
    OBJECT_ARRAY,
    /** {@code java.util.List}: {@code Types.LIST}. */
    LIST,
    /** {@code long[]}, {@code int[]}, ...: {@code Types.PRIMITIVE_ARRAY}; elements never null. */
    PRIMITIVE_ARRAY
  }

  /** The Flink types of the scalar kinds ({@link ScalarKind}), e.g. {@code Types.LONG}. */
  private static final Map<TypeInformation<?>, Kind> SCALARS = new HashMap<>();

  static {
    for (ScalarKind scalar : ScalarKind.values()) {
      SCALARS.put(scalar.typeInfo, scalar.kind);
    }
  }

  private static final String SUPPORTED =
      "supported: Types."
          + String.join(", ", Arrays.stream(ScalarKind.values()).map(s -> s.apiName).toList())
          + ", and nested to any depth OBJECT_ARRAY(t), LIST(t),"
          + " PRIMITIVE_ARRAY(BOOLEAN/SHORT/INT/LONG/FLOAT/DOUBLE), MAP(k, v), ROW(...)";

  private final Kind kind;
  private final TypeInformation<?> typeInfo;

  /** DECIMAL: 0 = unbounded ({@code Types.BIG_DEC}). */
  private final int precision;

  private final int scale;

  /** ARRAY: [element]; MAP: [key, value]; ROW: the fields. */
  private final List<ColumnType> children;

  /** ROW: the field names. */
  private final List<String> fieldNames;

  private final ArrayForm arrayForm;

  /**
   * Values never null: elements of primitive arrays, and elements of lists and map keys whose Flink
   * serializer cannot write null.
   */
  private final boolean notNull;

  private ColumnType(
      Kind kind,
      TypeInformation<?> typeInfo,
      int precision,
      int scale,
      List<ColumnType> children,
      List<String> fieldNames,
      ArrayForm arrayForm,
      boolean notNull) {
    this.kind = kind;
    this.typeInfo = typeInfo;
    this.precision = precision;
    this.scale = scale;
    this.children = List.copyOf(children);
    this.fieldNames = List.copyOf(fieldNames);
    this.arrayForm = arrayForm;
    this.notNull = notNull;
  }

  private static ColumnType scalar(Kind kind, TypeInformation<?> typeInfo) {
    return new ColumnType(kind, typeInfo, 0, 0, List.of(), List.of(), null, false);
  }

  /**
   * @param where names the column in the error, e.g. {@code "input column 'x'"}
   * @throws IllegalArgumentException for a type Python functions cannot take or return
   */
  public static ColumnType of(TypeInformation<?> typeInfo, String where) {
    String problem = problem(typeInfo, "");
    if (problem != null) {
      throw new IllegalArgumentException(
          "The "
              + where
              + " has type "
              + typeInfo
              + ", which Python functions do not support"
              + problem
              + "; "
              + SUPPORTED);
    }
    return build(typeInfo, false);
  }

  /** Why {@code typeInfo} cannot cross, or null; {@code path} says which part, for nested types. */
  private static String problem(TypeInformation<?> typeInfo, String path) {
    if (typeInfo == null) {
      return " (" + path + "type is missing)";
    }
    if (SCALARS.containsKey(typeInfo) || typeInfo instanceof DecimalTypeInfo) {
      return null;
    }
    TypeInformation<?> element = elementType(typeInfo);
    if (element != null) {
      return problem(element, path + "element ");
    }
    if (typeInfo instanceof MapTypeInfo<?, ?> map) {
      if (!hashableInPython(map.getKeyTypeInfo())) {
        return " ("
            + path
            + "map keys of type "
            + map.getKeyTypeInfo()
            + " would be Python lists or dicts, which cannot be dict keys)";
      }
      String key = problem(map.getKeyTypeInfo(), path + "key ");
      return key != null ? key : problem(map.getValueTypeInfo(), path + "value ");
    }
    if (typeInfo instanceof RowTypeInfo row) {
      for (int i = 0; i < row.getArity(); i++) {
        String field = problem(row.getTypeAt(i), path + "field '" + row.getFieldNames()[i] + "' ");
        if (field != null) {
          return field;
        }
      }
      return null;
    }
    return path.isEmpty() ? "" : " (its " + path + "type " + typeInfo + " is not supported)";
  }

  private static boolean hashableInPython(TypeInformation<?> typeInfo) {
    if (typeInfo instanceof MapTypeInfo || elementType(typeInfo) != null) {
      return false;
    }
    if (typeInfo instanceof RowTypeInfo row) {
      for (int i = 0; i < row.getArity(); i++) {
        if (!hashableInPython(row.getTypeAt(i))) {
          return false;
        }
      }
    }
    return true;
  }

  /** The element type of an array or list type (not BYTES), or null. */
  private static TypeInformation<?> elementType(TypeInformation<?> typeInfo) {
    if (typeInfo instanceof ListTypeInfo<?> list) {
      return list.getElementTypeInfo();
    }
    if (typeInfo instanceof ObjectArrayTypeInfo<?, ?> array) {
      return array.getComponentInfo();
    }
    if (typeInfo instanceof BasicArrayTypeInfo<?, ?> array) {
      return array.getComponentInfo();
    }
    if (typeInfo instanceof PrimitiveArrayTypeInfo<?> array
        && !typeInfo.equals(Types.PRIMITIVE_ARRAY(Types.BYTE))
        && array.getComponentClass() != char.class) {
      return array.getComponentType();
    }
    return null;
  }

  private static ColumnType build(TypeInformation<?> typeInfo, boolean notNull) {
    Kind scalarKind = SCALARS.get(typeInfo);
    if (scalarKind != null) {
      return new ColumnType(scalarKind, typeInfo, 0, 0, List.of(), List.of(), null, notNull);
    }
    if (typeInfo instanceof DecimalTypeInfo decimal) {
      return new ColumnType(
          Kind.DECIMAL,
          typeInfo,
          decimal.precision(),
          decimal.scale(),
          List.of(),
          List.of(),
          null,
          notNull);
    }
    TypeInformation<?> element = elementType(typeInfo);
    if (element != null) {
      ArrayForm form =
          typeInfo instanceof ListTypeInfo
              ? ArrayForm.LIST
              : typeInfo instanceof PrimitiveArrayTypeInfo
                  ? ArrayForm.PRIMITIVE_ARRAY
                  : ArrayForm.OBJECT_ARRAY;
      // Primitive arrays cannot hold nulls; Flink's ListSerializer writes each element with the
      // element's serializer, which for most types (Long, Row...) cannot write null either.
      boolean elementsNotNull =
          form == ArrayForm.PRIMITIVE_ARRAY || (form == ArrayForm.LIST && !nullable(element));
      return new ColumnType(
          Kind.ARRAY,
          typeInfo,
          0,
          0,
          List.of(build(element, elementsNotNull)),
          List.of(),
          form,
          notNull);
    }
    if (typeInfo instanceof MapTypeInfo<?, ?> map) {
      return new ColumnType(
          Kind.MAP,
          typeInfo,
          0,
          0,
          // MapSerializer flags null values itself but writes keys with the key serializer.
          List.of(
              build(map.getKeyTypeInfo(), !nullable(map.getKeyTypeInfo())),
              build(map.getValueTypeInfo(), false)),
          List.of(),
          null,
          notNull);
    }
    RowTypeInfo row = (RowTypeInfo) typeInfo;
    List<ColumnType> fields = new ArrayList<>();
    for (int i = 0; i < row.getArity(); i++) {
      fields.add(build(row.getTypeAt(i), false));
    }
    return new ColumnType(
        Kind.ROW, typeInfo, 0, 0, fields, List.of(row.getFieldNames()), null, notNull);
  }

  /** Whether Flink's serializer for {@code typeInfo} can write null. */
  private static boolean nullable(TypeInformation<?> typeInfo) {
    return NullableSerializer.checkIfNullSupported(
        typeInfo.createSerializer(new SerializerConfigImpl()));
  }

  public Kind kind() {
    return kind;
  }

  public TypeInformation<?> typeInfo() {
    return typeInfo;
  }

  /** DECIMAL: total digits, 0 for unbounded ({@code Types.BIG_DEC}). */
  public int precision() {
    return precision;
  }

  /** DECIMAL(p, s): digits after the point. */
  public int scale() {
    return scale;
  }

  /** ARRAY: the element type. */
  public ColumnType elementType() {
    return children.get(0);
  }

  /** MAP: the key type. */
  public ColumnType keyType() {
    return children.get(0);
  }

  /** MAP: the value type. */
  public ColumnType valueType() {
    return children.get(1);
  }

  /** ROW: the field types, in order. */
  public List<ColumnType> fieldTypes() {
    return children;
  }

  /** ROW: the field names, in order. */
  public List<String> fieldNames() {
    return fieldNames;
  }

  ArrayForm arrayForm() {
    return arrayForm;
  }

  /** The Java class of an OBJECT_ARRAY's or PRIMITIVE_ARRAY's elements. */
  Class<?> arrayComponentClass() {
    return typeInfo.getTypeClass().getComponentType();
  }

  boolean notNull() {
    return notNull;
  }

  public DataType toProto() {
    DataType.Builder proto = DataType.newBuilder().setKind(kind);
    if (precision > 0) {
      proto.setPrecision(precision).setScale(scale);
    }
    if (notNull) {
      proto.setNotNull(true);
    }
    switch (kind) {
      case ARRAY -> proto.setElementType(elementType().toProto());
      case MAP -> proto.setKeyType(keyType().toProto()).setValueType(valueType().toProto());
      case ROW -> {
        for (int i = 0; i < children.size(); i++) {
          proto.addFields(
              Field.newBuilder().setName(fieldNames.get(i)).setType(children.get(i).toProto()));
        }
      }
      default -> {}
    }
    return proto.build();
  }

  /** SQL-like: BIGINT, DECIMAL(10, 2), ARRAY&lt;STRING&gt;, ROW&lt;a INT, b STRING&gt;. */
  @Override
  public String toString() {
    return switch (kind) {
      case DECIMAL -> precision > 0 ? "DECIMAL(" + precision + ", " + scale + ")" : "DECIMAL";
      case ARRAY -> "ARRAY<" + elementType() + ">";
      case MAP -> "MAP<" + keyType() + ", " + valueType() + ">";
      case ROW -> {
        StringBuilder text = new StringBuilder("ROW<");
        for (int i = 0; i < children.size(); i++) {
          text.append(i == 0 ? "" : ", ");
          text.append(fieldNames.get(i)).append(' ').append(children.get(i));
        }
        yield text.append('>').toString();
      }
      default -> kind.name();
    };
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof ColumnType other
        && typeInfo.equals(other.typeInfo)
        && notNull == other.notNull;
  }

  @Override
  public int hashCode() {
    return typeInfo.hashCode();
  }
}
