package dev.fnharness.flink.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonTypes;
import dev.fnharness.proto.Column;
import dev.fnharness.proto.DataType;
import dev.fnharness.proto.DataType.Kind;
import dev.fnharness.proto.RowBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.util.StringUtils;
import org.junit.jupiter.api.Test;

/** The wire format of every type, Java side: what the encoder writes and the decoder reads. */
class RowBatchTypesTest {

  private static ColumnType type(TypeInformation<?> typeInfo) {
    return ColumnType.of(typeInfo, "test column");
  }

  private static RowBatch encode(TypeInformation<?> typeInfo, Object... values) throws Exception {
    RowBatchEncoder encoder = new RowBatchEncoder(new int[] {0}, List.of(type(typeInfo)));
    for (Object value : values) {
      encoder.add(Row.of(value));
    }
    return RowBatch.parseFrom(encoder.finish());
  }

  private static Object[] decode(TypeInformation<?> typeInfo, Column column, int rows) {
    ByteString bytes =
        RowBatch.newBuilder().setRowCount(rows).addColumns(column).build().toByteString();
    return new RowBatchDecoder(List.of(type(typeInfo))).decode(bytes).columns()[0];
  }

  @Test
  void integersOfEveryWidthTravelAsLongs() throws Exception {
    assertThat(encode(Types.BYTE, (byte) -128, (byte) 127).getColumns(0).getLongsList())
        .containsExactly(-128L, 127L);
    assertThat(encode(Types.SHORT, Short.MIN_VALUE).getColumns(0).getLongsList())
        .containsExactly((long) Short.MIN_VALUE);
    Column longs = Column.newBuilder().addLongs(-5).addLongs(7).build();
    assertThat(decode(Types.BYTE, longs, 2)).containsExactly((byte) -5, (byte) 7);
    assertThat(decode(Types.SHORT, longs, 2)).containsExactly((short) -5, (short) 7);
  }

  @Test
  void floatsTravelAsFloats() throws Exception {
    Column column = encode(Types.FLOAT, 1.5f, Float.NaN, null, -0.0f).getColumns(0);
    assertThat(column.getFloatsList()).containsExactly(1.5f, Float.NaN, 0f, -0.0f);
    assertThat(decode(Types.FLOAT, column, 4)).containsExactly(1.5f, Float.NaN, null, -0.0f);
  }

  @Test
  void bytesTravelAsBinaries() throws Exception {
    Column column =
        encode(Types.PRIMITIVE_ARRAY(Types.BYTE), new byte[] {1, 2}, null, new byte[0])
            .getColumns(0);
    assertThat(column.getBinariesList())
        .containsExactly(
            ByteString.copyFrom(new byte[] {1, 2}), ByteString.EMPTY, ByteString.EMPTY);
    Object[] decoded = decode(Types.PRIMITIVE_ARRAY(Types.BYTE), column, 3);
    assertThat((byte[]) decoded[0]).containsExactly(1, 2);
    assertThat(decoded[1]).isNull();
    assertThat((byte[]) decoded[2]).isEmpty();
  }

  @Test
  void decimalsTravelAsTheirExactText() throws Exception {
    Column column =
        encode(
                Types.BIG_DEC,
                new BigDecimal("12.50"),
                new BigDecimal("-1E+3"),
                null,
                new BigDecimal("0.0000001"))
            .getColumns(0);
    assertThat(column.getStringsList()).containsExactly("12.50", "-1E+3", "", "1E-7");
    Object[] decoded = decode(Types.BIG_DEC, column, 4);
    assertThat(decoded)
        .containsExactly(
            new BigDecimal("12.50"), new BigDecimal("-1E+3"), null, new BigDecimal("1E-7"));
    assertThat(((BigDecimal) decoded[1]).scale()).isEqualTo(-3);
  }

  @Test
  void declaredDecimalsAreRoundedHalfUpToTheirScale() throws Exception {
    Column column =
        encode(
                PythonTypes.DECIMAL(5, 2),
                new BigDecimal("1.005"),
                new BigDecimal("7"),
                new BigDecimal("-999.994"))
            .getColumns(0);
    assertThat(column.getStringsList()).containsExactly("1.01", "7.00", "-999.99");
    assertThat(type(PythonTypes.DECIMAL(5, 2)).toProto())
        .isEqualTo(DataType.newBuilder().setKind(Kind.DECIMAL).setPrecision(5).setScale(2).build());
  }

  @Test
  void aDecimalTooWideForItsPrecisionIsRefusedNamingTheField() {
    RowBatchEncoder encoder =
        new RowBatchEncoder(new int[] {1}, List.of(type(PythonTypes.DECIMAL(5, 2))));
    assertThatThrownBy(() -> encoder.add(Row.of("x", new BigDecimal("1234.5"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Field 1")
        .hasMessageContaining("1234.5")
        .hasMessageContaining("DECIMAL(5, 2)");
  }

  @Test
  void datesAndTimesTravelAsDaysAndMicroseconds() throws Exception {
    LocalDate date = LocalDate.of(1969, 12, 31);
    assertThat(encode(Types.LOCAL_DATE, date).getColumns(0).getLongsList()).containsExactly(-1L);
    LocalTime time = LocalTime.of(0, 0, 1, 2_345_678); // nanos below a microsecond are dropped
    assertThat(encode(Types.LOCAL_TIME, time).getColumns(0).getLongsList())
        .containsExactly(1_002_345L);
    LocalDateTime dateTime = LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999);
    assertThat(encode(Types.LOCAL_DATE_TIME, dateTime).getColumns(0).getLongsList())
        .containsExactly(-1L);
    Instant instant = Instant.ofEpochSecond(-1, 999_999_000);
    assertThat(encode(Types.INSTANT, instant).getColumns(0).getLongsList()).containsExactly(-1L);

    Column minusOne = Column.newBuilder().addLongs(-1).build();
    assertThat(decode(Types.LOCAL_DATE, minusOne, 1)).containsExactly(date);
    assertThat(decode(Types.LOCAL_DATE_TIME, minusOne, 1))
        .containsExactly(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));
    assertThat(decode(Types.INSTANT, minusOne, 1)).containsExactly(instant);
    assertThat(decode(Types.LOCAL_TIME, Column.newBuilder().addLongs(1_002_345).build(), 1))
        .containsExactly(LocalTime.of(0, 0, 1, 2_345_000));
  }

  @Test
  void datesOutsidePythonsYearsAreRefusedNamingTheField() {
    RowBatchEncoder encoder =
        new RowBatchEncoder(
            new int[] {0, 1}, List.of(type(Types.LONG), type(Types.LOCAL_DATE_TIME)));
    assertThatThrownBy(() -> encoder.add(Row.of(1L, LocalDateTime.of(10000, 1, 1, 0, 0))))
        .hasMessageContaining("Field 1")
        .hasMessageContaining("+10000-01-01T00:00")
        .hasMessageContaining("years 1 to 9999");
    RowBatchEncoder instants = new RowBatchEncoder(new int[] {0}, List.of(type(Types.INSTANT)));
    assertThatThrownBy(() -> instants.add(Row.of(Instant.MIN)))
        .hasMessageContaining("years 1 to 9999");
  }

  @Test
  void arraysAreLengthsPlusOneChildColumn() throws Exception {
    TypeInformation<?> typeInfo = Types.OBJECT_ARRAY(Types.LONG);
    Column column =
        encode(typeInfo, new Long[] {1L, null}, null, new Long[0], new Long[] {3L}).getColumns(0);
    assertThat(column.getLengthsList()).containsExactly(2, 0, 0, 1);
    assertThat(column.getNulls().toByteArray()).containsExactly(0b0010);
    assertThat(column.getChildrenCount()).isEqualTo(1);
    assertThat(column.getChildren(0).getLongsList()).containsExactly(1L, 0L, 3L);
    assertThat(column.getChildren(0).getNulls().toByteArray()).containsExactly(0b010);

    Object[] decoded = decode(typeInfo, column, 4);
    assertThat(decoded[0]).isInstanceOf(Long[].class).isEqualTo(new Long[] {1L, null});
    assertThat(decoded[1]).isNull();
    assertThat(decoded[2]).isEqualTo(new Long[0]);
  }

  @Test
  void listsAndPrimitiveArraysDecodeToTheirJavaForm() throws Exception {
    Column column = encode(Types.PRIMITIVE_ARRAY(Types.INT), new int[] {5, -6}, null).getColumns(0);
    assertThat(column.getChildren(0).getLongsList()).containsExactly(5L, -6L);
    Object[] ints = decode(Types.PRIMITIVE_ARRAY(Types.INT), column, 2);
    assertThat((int[]) ints[0]).containsExactly(5, -6);
    assertThat(ints[1]).isNull();

    TypeInformation<?> list = new ListTypeInfo<>(Types.STRING);
    Column strings = encode(list, Arrays.asList("a", null), List.of()).getColumns(0);
    Object[] lists = decode(list, strings, 2);
    assertThat(lists[0]).isInstanceOf(ArrayList.class).isEqualTo(Arrays.asList("a", null));
    assertThat(lists[1]).isEqualTo(List.of());
  }

  @Test
  void aNullInsideAPrimitiveArrayIsRefused() {
    Column column =
        Column.newBuilder()
            .addLengths(1)
            .addChildren(
                Column.newBuilder().addLongs(0).setNulls(ByteString.copyFrom(new byte[] {1})))
            .build();
    assertThatThrownBy(() -> decode(Types.PRIMITIVE_ARRAY(Types.LONG), column, 1))
        .hasMessageContaining("null")
        .hasMessageContaining("primitive array");
  }

  @Test
  void mapsAreLengthsPlusKeyAndValueColumns() throws Exception {
    TypeInformation<?> typeInfo = new MapTypeInfo<>(Types.STRING, Types.DOUBLE);
    Map<String, Double> map = new HashMap<>();
    map.put("k", null);
    Column column = encode(typeInfo, map, null).getColumns(0);
    assertThat(column.getLengthsList()).containsExactly(1, 0);
    assertThat(column.getChildren(0).getStringsList()).containsExactly("k");
    assertThat(column.getChildren(1).getNulls().toByteArray()).containsExactly(1);
    assertThat(decode(typeInfo, column, 2)).containsExactly(map, null);
  }

  @Test
  void rowsAreOneChildColumnPerFieldWithASlotPerRow() throws Exception {
    TypeInformation<?> typeInfo =
        Types.ROW_NAMED(new String[] {"a", "b"}, Types.INT, Types.ROW(Types.STRING));
    Column column =
        encode(typeInfo, Row.of(1, Row.of("x")), null, Row.of(null, null)).getColumns(0);
    assertThat(column.getNulls().toByteArray()).containsExactly(0b010);
    assertThat(column.getChildren(0).getLongsList()).containsExactly(1L, 0L, 0L);
    assertThat(column.getChildren(0).getNulls().toByteArray()).containsExactly(0b110);
    assertThat(column.getChildren(1).getChildren(0).getStringsList()).containsExactly("x", "", "");
    assertThat(decode(typeInfo, column, 3))
        .containsExactly(Row.of(1, Row.of("x")), null, Row.of(null, null));

    Row named = Row.withNames();
    named.setField("b", Row.of("y"));
    named.setField("a", 2);
    Column fromNamed = encode(typeInfo, named).getColumns(0);
    assertThat(decode(typeInfo, fromNamed, 1)).containsExactly(Row.of(2, Row.of("y")));
  }

  @Test
  void emptyBatchesOfNestedTypesRoundTrip() throws Exception {
    TypeInformation<?> typeInfo =
        Types.ROW(
            Types.OBJECT_ARRAY(Types.ROW(Types.LONG)), new MapTypeInfo<>(Types.INT, Types.STRING));
    RowBatchEncoder encoder = new RowBatchEncoder(new int[] {0}, List.of(type(typeInfo)));
    ByteString bytes = encoder.finish();
    assertThat(new RowBatchDecoder(List.of(type(typeInfo))).decode(bytes).rowCount()).isZero();
    // a batch from a sender that leaves out empty children decodes too
    assertThat(decode(typeInfo, Column.getDefaultInstance(), 0)).isEmpty();
  }

  @Test
  void theDecoderAcceptsUnpackedRepeatedFields() {
    // proto3 parsers must accept both encodings: tag 2 (longs) as single fixed64 values
    byte[] column = {
      0x11, 1, 0, 0, 0, 0, 0, 0, 0, // longs: 1, little-endian
      0x11, -2, -1, -1, -1, -1, -1, -1, -1 // longs: -2
    };
    ByteString batch =
        RowBatch.newBuilder()
            .setRowCount(2)
            .build()
            .toByteString()
            .concat(ByteString.copyFrom(new byte[] {0x12, (byte) column.length}))
            .concat(ByteString.copyFrom(column));
    assertThat(new RowBatchDecoder(List.of(ColumnType.BIGINT)).decode(batch).columns()[0])
        .containsExactly(1L, -2L);
  }

  @Test
  void theDecoderNamesAColumnOfTheWrongLength() {
    Column column = Column.newBuilder().addLongs(1).build();
    assertThatThrownBy(() -> decode(Types.LONG, column, 2))
        .hasMessageContaining("1 values in column 0 (BIGINT), expected 2");
  }

  /** Random types and values through the Java encoder and decoder (no Python): come back equal. */
  @Test
  void randomBatchesRoundTripInJava() {
    long seed = new Random().nextLong();
    try {
      Random random = new Random(seed);
      RandomTypes randomTypes = new RandomTypes(random, 0.15);
      for (int schema = 0; schema < 200; schema++) {
        int columnCount = 1 + random.nextInt(4);
        List<ColumnType> types = new ArrayList<>();
        int[] positions = new int[columnCount];
        for (int c = 0; c < columnCount; c++) {
          types.add(type(randomTypes.type(3)));
          positions[c] = c;
        }
        RowBatchEncoder encoder = new RowBatchEncoder(positions, types);
        RowBatchDecoder decoder = new RowBatchDecoder(types);
        for (int batch = 0; batch < 3; batch++) {
          int rows = random.nextInt(40);
          List<Row> expected = new ArrayList<>();
          for (int r = 0; r < rows; r++) {
            Row row = Row.withPositions(columnCount);
            for (int c = 0; c < columnCount; c++) {
              row.setField(c, randomTypes.value(types.get(c).typeInfo()));
            }
            expected.add(row);
            encoder.add(row);
          }
          RowBatchDecoder.DecodedBatch decoded = decoder.decode(encoder.finish());
          assertThat(decoded.rowCount()).isEqualTo(rows);
          for (int r = 0; r < rows; r++) {
            Row actual = Row.withPositions(columnCount);
            for (int c = 0; c < columnCount; c++) {
              actual.setField(c, decoded.value(c, r));
            }
            if (!actual.equals(expected.get(r))) {
              throw new AssertionError(
                  "types "
                      + types
                      + " row "
                      + r
                      + ": expected "
                      + StringUtils.arrayAwareToString(expected.get(r))
                      + " but got "
                      + StringUtils.arrayAwareToString(actual));
            }
          }
        }
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("Failed with seed " + seed + ": " + e.getMessage(), e);
    }
  }
}
