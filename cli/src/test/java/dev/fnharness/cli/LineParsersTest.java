package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class LineParsersTest {

  private static final Schema SCHEMA = SchemaParser.parse("name STRING, size BIGINT, ok BOOLEAN, x DOUBLE");

  @Test
  void csvFieldsWithQuotesNullsAndEmptyStrings() throws Exception {
    LineParser csv = FileFormat.CSV.parser(SCHEMA);

    assertThat(csv.parse("\"a, \"\"b\"\"\",12,true,1.5")).isEqualTo(Row.of("a, \"b\"", 12L, true, 1.5));
    assertThat(csv.parse(",,,")).isEqualTo(Row.of(null, null, null, null));
    assertThat(csv.parse("\"\", 7 ,FALSE,-2e3")).isEqualTo(Row.of("", 7L, false, -2000.0));
    assertThat(csv.isHeader("name,Size,ok,x")).isTrue();
    assertThat(csv.isHeader("a,1,true,2.0")).isFalse();
  }

  @Test
  void csvMistakesNameTheField() {
    LineParser csv = FileFormat.CSV.parser(SCHEMA);

    assertThatThrownBy(() -> csv.parse("a,abc,true,1"))
        .isInstanceOf(BadLineException.class)
        .hasMessage("field 2 'size' (BIGINT): 'abc' is not a BIGINT");
    assertThatThrownBy(() -> csv.parse("a,1,yes,1"))
        .hasMessage("field 3 'ok' (BOOLEAN): 'yes' is not a BOOLEAN");
    assertThatThrownBy(() -> csv.parse("a,1,true"))
        .hasMessage("3 field(s), but the schema has 4 column(s): name, size, ok, x");
    assertThatThrownBy(() -> csv.parse("\"a,1,true,2"))
        .hasMessage("the quote at character 1 is not closed on this line");
    assertThatThrownBy(() -> csv.parse("\"a\"b,1,true,2"))
        .hasMessage("expected ',' after the quoted field at character 4");
  }

  @Test
  void csvOutputQuotesWhatMustBeAndRoundTrips() throws Exception {
    RowFormatter formatter = new RowFormatter(FileFormat.CSV, SCHEMA.names());
    Row row = Row.of("a, \"b\"", null, true, 2.5);
    String line = formatter.format(row);

    assertThat(line).isEqualTo("\"a, \"\"b\"\"\",,true,2.5");
    assertThat(FileFormat.CSV.parser(SCHEMA).parse(line)).isEqualTo(row);
    assertThat(formatter.format(Row.of("", 1L, false, 0.0))).isEqualTo("\"\",1,false,0.0");
    assertThat(formatter.header()).contains("name,size,ok,x");
  }

  @Test
  void jsonLinesByKeyWithMissingKeysAsNull() throws Exception {
    LineParser json = FileFormat.JSONL.parser(SCHEMA);

    assertThat(json.parse("{\"size\": 3, \"name\": \"n\", \"other\": [1], \"x\": 0.5}"))
        .isEqualTo(Row.of("n", 3L, null, 0.5));
    assertThatThrownBy(() -> json.parse("{\"size\": \"big\"}"))
        .hasMessage("field 2 'size' (BIGINT): 'big' is not a BIGINT");
    assertThatThrownBy(() -> json.parse("{\"name\": {\"a\": 1}}"))
        .hasMessage("'name' (STRING) is a JSON object: {\"a\":1}");
    assertThatThrownBy(() -> json.parse("[1, 2]")).hasMessage("expected a JSON object, found array");
    assertThatThrownBy(() -> json.parse("{\"size\": 3,}"))
        .hasMessageStartingWith("malformed JSON at character 12: ");
  }

  @Test
  void jsonOutputKeepsTypes() {
    RowFormatter formatter = new RowFormatter(FileFormat.JSONL, List.of("name", "size", "ok", "x"));

    assertThat(formatter.format(Row.of("a\"b", 3L, null, 1.5)))
        .isEqualTo("{\"name\":\"a\\\"b\",\"size\":3,\"ok\":null,\"x\":1.5}");
    assertThat(formatter.header()).isEmpty();
  }

  @Test
  void moreScalarTypesReadFromTextAndWriteBack() throws Exception {
    Schema schema =
        SchemaParser.parse(
            "b TINYINT, s SMALLINT, f FLOAT, d DECIMAL, day DATE, t TIME, ts TIMESTAMP, at TIMESTAMP_LTZ");
    LineParser csv = FileFormat.CSV.parser(schema);

    Row row = csv.parse("-8,300,1.5,12.50,2026-11-21,10:15:30,2026-11-21 10:15:30,2026-11-21T10:15:30Z");

    assertThat(row)
        .isEqualTo(
            Row.of(
                (byte) -8,
                (short) 300,
                1.5f,
                new java.math.BigDecimal("12.50"),
                java.time.LocalDate.of(2026, 11, 21),
                java.time.LocalTime.of(10, 15, 30),
                java.time.LocalDateTime.of(2026, 11, 21, 10, 15, 30),
                java.time.Instant.parse("2026-11-21T10:15:30Z")));
    assertThat(new RowFormatter(FileFormat.JSONL, schema.names()).format(row))
        .contains("\"d\":12.50")
        .contains("\"day\":\"2026-11-21\"")
        .contains("\"ts\":\"2026-11-21T10:15:30\"");
    assertThatThrownBy(() -> csv.parse("1,1,1,1,2026-13-01,10:00,2026-01-01 00:00,2026-01-01T00:00:00Z"))
        .hasMessage("field 5 'day' (DATE): '2026-13-01' is not a DATE");
  }
}
