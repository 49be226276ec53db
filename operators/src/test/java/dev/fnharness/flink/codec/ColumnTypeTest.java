package dev.fnharness.flink.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.DecimalTypeInfo;
import dev.fnharness.flink.PythonTypes;
import dev.fnharness.proto.DataType;
import dev.fnharness.proto.DataType.Kind;
import java.math.BigDecimal;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class ColumnTypeTest {

  private static ColumnType of(TypeInformation<?> typeInfo) {
    return ColumnType.of(typeInfo, "result column 'y' of Python function 'm:f'");
  }

  @Test
  void everyScalarTypeHasItsKind() {
    assertThat(of(Types.BYTE).kind()).isEqualTo(Kind.TINYINT);
    assertThat(of(Types.SHORT).kind()).isEqualTo(Kind.SMALLINT);
    assertThat(of(Types.INT)).isEqualTo(ColumnType.INT);
    assertThat(of(Types.LONG)).isEqualTo(ColumnType.BIGINT);
    assertThat(of(Types.FLOAT).kind()).isEqualTo(Kind.FLOAT);
    assertThat(of(Types.DOUBLE)).isEqualTo(ColumnType.DOUBLE);
    assertThat(of(Types.BOOLEAN)).isEqualTo(ColumnType.BOOLEAN);
    assertThat(of(Types.STRING)).isEqualTo(ColumnType.STRING);
    assertThat(of(Types.PRIMITIVE_ARRAY(Types.BYTE)).kind()).isEqualTo(Kind.BYTES);
    assertThat(of(Types.BIG_DEC).toString()).isEqualTo("DECIMAL");
    assertThat(of(PythonTypes.DECIMAL(10, 2)).toString()).isEqualTo("DECIMAL(10, 2)");
    assertThat(of(Types.LOCAL_DATE).kind()).isEqualTo(Kind.DATE);
    assertThat(of(Types.LOCAL_TIME).kind()).isEqualTo(Kind.TIME);
    assertThat(of(Types.LOCAL_DATE_TIME).kind()).isEqualTo(Kind.TIMESTAMP);
    assertThat(of(Types.INSTANT).kind()).isEqualTo(Kind.TIMESTAMP_LTZ);
  }

  @Test
  void nestedTypesDescribeTheirPartsInTheProto() {
    TypeInformation<?> typeInfo =
        Types.ROW_NAMED(
            new String[] {"ids", "tags"},
            Types.PRIMITIVE_ARRAY(Types.LONG),
            new MapTypeInfo<>(Types.STRING, new ListTypeInfo<>(Types.INSTANT)));
    ColumnType type = of(typeInfo);

    assertThat(type.toString())
        .isEqualTo("ROW<ids ARRAY<BIGINT>, tags MAP<STRING, ARRAY<TIMESTAMP_LTZ>>>");
    DataType proto = type.toProto();
    assertThat(proto.getKind()).isEqualTo(Kind.ROW);
    assertThat(proto.getFields(0).getName()).isEqualTo("ids");
    assertThat(proto.getFields(0).getType().getElementType())
        .isEqualTo(DataType.newBuilder().setKind(Kind.BIGINT).setNotNull(true).build());
    DataType tags = proto.getFields(1).getType();
    assertThat(tags.getKeyType().getKind()).isEqualTo(Kind.STRING);
    assertThat(tags.getValueType().getElementType().getKind()).isEqualTo(Kind.TIMESTAMP_LTZ);
    assertThat(tags.getValueType().getElementType().getNotNull()).isFalse();
  }

  @Test
  void unsupportedTypesAreNamedWithThePartThatIsNot() {
    assertThatThrownBy(() -> of(Types.CHAR))
        .hasMessageStartingWith("The result column 'y' of Python function 'm:f' has type Character")
        .hasMessageContaining("supported: Types.BYTE");
    assertThatThrownBy(() -> of(Types.ROW_NAMED(new String[] {"c"}, Types.LIST(Types.CHAR))))
        .hasMessageContaining("its field 'c' element type Character is not supported");
    assertThatThrownBy(() -> of(new MapTypeInfo<>(Types.LIST(Types.INT), Types.INT)))
        .hasMessageContaining("cannot be dict keys");
  }

  @Test
  void decimalTypeInfoIsAFlinkTypeWithItsOwnEquality() throws Exception {
    DecimalTypeInfo type = PythonTypes.DECIMAL(10, 2);
    assertThat(type).isEqualTo(PythonTypes.DECIMAL(10, 2)).isNotEqualTo(PythonTypes.DECIMAL(10, 3));
    assertThat(type).isNotEqualTo(Types.BIG_DEC);
    assertThat(Types.BIG_DEC).isNotEqualTo(type);
    assertThatThrownBy(() -> PythonTypes.DECIMAL(2, 3)).hasMessageContaining("scale");
    assertThatThrownBy(() -> PythonTypes.DECIMAL(0, 0)).hasMessageContaining("precision");

    TypeSerializer<BigDecimal> serializer =
        type.createSerializer(new ExecutionConfig().getSerializerConfig());
    DataOutputSerializer out = new DataOutputSerializer(32);
    serializer.serialize(new BigDecimal("12.34"), out);
    assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isEqualTo(new BigDecimal("12.34"));
    assertThat(InstantiationUtil.clone(of(type))).isEqualTo(of(type));
  }
}
