package dev.fnharness.flink.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fnharness.proto.Column;
import dev.fnharness.proto.RowBatch;
import java.util.List;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class RowBatchEncoderTest {

  private static final List<ColumnType> ALL_TYPES =
      List.of(
          ColumnType.BIGINT,
          ColumnType.INT,
          ColumnType.DOUBLE,
          ColumnType.BOOLEAN,
          ColumnType.STRING);

  @Test
  void writesWhatTheGeneratedParserReadsBack() throws Exception {
    RowBatchEncoder encoder = new RowBatchEncoder(new int[] {0, 1, 2, 3, 4}, ALL_TYPES);
    encoder.add(Row.of(Long.MIN_VALUE, Integer.MAX_VALUE, Double.NaN, true, "𝄞 clef"));
    encoder.add(Row.of(-1L, -7, Double.NEGATIVE_INFINITY, false, ""));
    encoder.add(Row.of(Long.MAX_VALUE, 0, 1.5, true, "ü"));

    RowBatch batch = RowBatch.parseFrom(encoder.finish());

    assertThat(batch.getRowCount()).isEqualTo(3);
    assertThat(batch.getColumns(0).getLongsList())
        .containsExactly(Long.MIN_VALUE, -1L, Long.MAX_VALUE);
    assertThat(batch.getColumns(1).getLongsList())
        .containsExactly((long) Integer.MAX_VALUE, -7L, 0L);
    assertThat(batch.getColumns(2).getDoublesList())
        .containsExactly(Double.NaN, Double.NEGATIVE_INFINITY, 1.5);
    assertThat(batch.getColumns(3).getBoolsList()).containsExactly(true, false, true);
    assertThat(batch.getColumns(4).getStringsList()).containsExactly("𝄞 clef", "", "ü");
    assertThat(batch.getColumnsList()).allSatisfy(c -> assertThat(c.getNulls()).isEmpty());
  }

  @Test
  void marksNullsInTheBitmapAndKeepsTheirSlots() throws Exception {
    RowBatchEncoder encoder =
        new RowBatchEncoder(new int[] {0, 1}, List.of(ColumnType.BIGINT, ColumnType.STRING));
    for (int i = 0; i < 10; i++) {
      encoder.add(i == 0 || i == 9 ? Row.of(null, null) : Row.of((long) i, "s" + i));
    }

    RowBatch batch = RowBatch.parseFrom(encoder.finish());

    Column longs = batch.getColumns(0);
    assertThat(longs.getLongsCount()).isEqualTo(10);
    assertThat(longs.getNulls().toByteArray()).containsExactly(0b0000_0001, 0b0000_0010);
    assertThat(batch.getColumns(1).getStrings(0)).isEmpty();
    assertThat(batch.getColumns(1).getStrings(5)).isEqualTo("s5");
  }

  @Test
  void aBitmapCoversEveryRowWhenOnlyEarlyRowsAreNull() throws Exception {
    // The bitmap grows with the highest null row; it must still be written for all 200 rows.
    RowBatchEncoder encoder = new RowBatchEncoder(new int[] {0}, List.of(ColumnType.BIGINT));
    for (int i = 0; i < 200; i++) {
      encoder.add(Row.of(i == 3 ? null : (long) i));
    }

    RowBatch batch = RowBatch.parseFrom(encoder.finish());

    byte[] nulls = batch.getColumns(0).getNulls().toByteArray();
    assertThat(nulls).hasSize(25);
    assertThat(nulls[0]).isEqualTo((byte) 0b1000);
    assertThat(
            new RowBatchDecoder(List.of(ColumnType.BIGINT))
                .decode(batch.toByteString())
                .value(0, 3))
        .isNull();
  }

  @Test
  void picksTheConfiguredFieldsAndStartsAfreshAfterFinish() throws Exception {
    RowBatchEncoder encoder = new RowBatchEncoder(new int[] {2}, List.of(ColumnType.BIGINT));
    encoder.add(Row.of("ignored", 1.0, 42L));
    encoder.add(Row.of(null, null, null));
    encoder.finish();
    encoder.add(Row.of("ignored", 1.0, 7L));

    RowBatch batch = RowBatch.parseFrom(encoder.finish());

    assertThat(batch.getRowCount()).isEqualTo(1);
    assertThat(batch.getColumns(0).getLongsList()).containsExactly(7L);
    assertThat(batch.getColumns(0).getNulls()).isEmpty();
  }

  @Test
  void decoderRestoresValuesAndNulls() {
    RowBatchEncoder encoder = new RowBatchEncoder(new int[] {0, 1, 2, 3, 4}, ALL_TYPES);
    encoder.add(Row.of(5L, 6, 7.5, true, "x"));
    encoder.add(Row.of(null, null, null, null, null));
    ByteString bytes = encoder.finish();

    RowBatchDecoder.DecodedBatch decoded = new RowBatchDecoder(ALL_TYPES).decode(bytes);

    assertThat(decoded.rowCount()).isEqualTo(2);
    assertThat(decoded.value(0, 0)).isEqualTo(5L);
    assertThat(decoded.value(1, 0)).isEqualTo(6);
    assertThat(decoded.value(2, 0)).isEqualTo(7.5);
    assertThat(decoded.value(3, 0)).isEqualTo(true);
    assertThat(decoded.value(4, 0)).isEqualTo("x");
    for (int c = 0; c < 5; c++) {
      assertThat(decoded.value(c, 1)).isNull();
    }
  }

  @Test
  void keepsColumnOrderAndGrowsAcrossBatchesOfManyRows() {
    // Strings, integers, doubles, booleans and other kinds are visited in another order than
    // the batch's; the batch must keep the declared order, also past the first row reservation.
    List<ColumnType> types =
        List.of(
            ColumnType.STRING,
            ColumnType.BIGINT,
            ColumnType.of(org.apache.flink.api.common.typeinfo.Types.LOCAL_DATE, "date"),
            ColumnType.DOUBLE,
            ColumnType.INT,
            ColumnType.BOOLEAN);
    RowBatchEncoder encoder = new RowBatchEncoder(new int[] {5, 4, 3, 2, 1, 0}, types);
    RowBatchDecoder decoder = new RowBatchDecoder(types);
    for (int rows : new int[] {70, 300, 5}) {
      for (int r = 0; r < rows; r++) {
        encoder.add(r % 7 == 3 ? Row.of(null, null, null, null, null, null) : rowNumber(r));
      }
      RowBatchDecoder.DecodedBatch decoded = decoder.decode(encoder.finish());
      assertThat(decoded.rowCount()).isEqualTo(rows);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < types.size(); c++) {
          Object expected = r % 7 == 3 ? null : rowNumber(r).getField(5 - c);
          assertThat(decoded.value(c, r)).as("column %d row %d", c, r).isEqualTo(expected);
        }
      }
    }
  }

  private static Row rowNumber(int r) {
    return Row.of(
        r % 2 == 0, r, r * 0.5, java.time.LocalDate.ofEpochDay(r), (long) r << 40, "row " + r);
  }

  @Test
  void namesTheFieldOfAValueOfTheWrongClass() {
    RowBatchEncoder encoder =
        new RowBatchEncoder(
            new int[] {0, 1, 2}, List.of(ColumnType.STRING, ColumnType.DOUBLE, ColumnType.BIGINT));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> encoder.add(Row.of("ok", 1.0, "not a number")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Field 2")
        .hasMessageContaining("not a number");
  }
}
