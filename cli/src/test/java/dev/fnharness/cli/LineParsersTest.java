package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class LineParsersTest {

  private static final Schema SCHEMA =
      SchemaParser.parse("name STRING, size BIGINT, ok BOOLEAN, x DOUBLE");

  @Test
  void csvFieldsWithQuotesNullsAndEmptyStrings() throws Exception {
    LineParser csv = FileFormat.CSV.parser(SCHEMA);

    assertThat(csv.parse("\"a, \"\"b\"\"\",12,true,1.5"))
        .isEqualTo(Row.of("a, \"b\"", 12L, true, 1.5));
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
        .hasMessage("the quote at character 1 is not closed");
    assertThatThrownBy(() -> csv.parse("\"a\"b,1,true,2"))
        .hasMessage("expected ',' after the quoted field at character 4");
  }

  @Test
  void csvOutputQuotesWhatMustBeAndRoundTrips() throws Exception {
    RowFormatter formatter = new RowFormatter(FileFormat.CSV, SCHEMA.columns());
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
    assertThatThrownBy(() -> json.parse("[1, 2]"))
        .hasMessage("expected a JSON object, found array");
    assertThatThrownBy(() -> json.parse("{\"size\": 3,}"))
        .hasMessageStartingWith("malformed JSON at character 12: ");
  }

  @Test
  void jsonOutputKeepsTypes() {
    RowFormatter formatter = new RowFormatter(FileFormat.JSONL, SCHEMA.columns());

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

    Row row =
        csv.parse("-8,300,1.5,12.50,2026-11-21,10:15:30,2026-11-21 10:15:30,2026-11-21T10:15:30Z");

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
    assertThat(new RowFormatter(FileFormat.JSONL, schema.columns()).format(row))
        .contains("\"d\":12.50")
        .contains("\"day\":\"2026-11-21\"")
        .contains("\"ts\":\"2026-11-21T10:15:30\"");
    assertThatThrownBy(
            () -> csv.parse("1,1,1,1,2026-13-01,10:00,2026-01-01 00:00,2026-01-01T00:00:00Z"))
        .hasMessage("field 5 'day' (DATE): '2026-13-01' is not a DATE");
  }

  private static final Schema NESTED =
      SchemaParser.parse(
          "id INT, price DECIMAL(6, 2), tags ARRAY<STRING>, m MAP<STRING, DOUBLE>,"
              + " r ROW<a INT, b ARRAY<DATE>>");

  @Test
  void csvNestedFieldsAreJsonAndRoundTrip() throws Exception {
    LineParser csv = FileFormat.CSV.parser(NESTED);
    String line =
        "1,3.14159,\"[\"\"a\"\",null]\",\"{\"\"x\"\":1.5,\"\"y\"\":null}\","
            + "\"{\"\"a\"\":7,\"\"b\"\":[\"\"2026-11-21\"\"]}\"";

    Row row = csv.parse(line);

    Map<String, Double> m = new LinkedHashMap<>();
    m.put("x", 1.5);
    m.put("y", null);
    assertThat(row)
        .isEqualTo(
            Row.of(
                1,
                new BigDecimal("3.14"),
                new String[] {"a", null},
                m,
                Row.of(7, new LocalDate[] {LocalDate.of(2026, 11, 21)})));
    assertThat(row.getField(2)).isInstanceOf(String[].class);
    assertThat(((Row) row.getField(4)).getField(1)).isInstanceOf(LocalDate[].class);
    RowFormatter formatter = new RowFormatter(FileFormat.CSV, NESTED.columns());
    assertThat(formatter.format(row)).isEqualTo(line.replace("3.14159", "3.14"));
    assertThat(new RowFormatter(FileFormat.JSONL, NESTED.columns()).format(row))
        .isEqualTo(
            "{\"id\":1,\"price\":3.14,\"tags\":[\"a\",null],\"m\":{\"x\":1.5,\"y\":null},"
                + "\"r\":{\"a\":7,\"b\":[\"2026-11-21\"]}}");
    assertThat(csv.parse("2,,[],{},\"[null, []]\""))
        .isEqualTo(Row.of(2, null, new String[0], Map.of(), Row.of(null, new LocalDate[0])));
    assertThat(csv.parse("3,-0.005,null,,"))
        .isEqualTo(Row.of(3, new BigDecimal("-0.01"), null, null, null));
  }

  @Test
  void decimalWithPrecisionAndScaleRoundsHalfUpAndRefusesWhatDoesNotFit() throws Exception {
    LineParser csv = FileFormat.CSV.parser(SchemaParser.parse("d DECIMAL(6, 2)"));

    assertThat(csv.parse("1234.565")).isEqualTo(Row.of(new BigDecimal("1234.57")));
    assertThat(csv.parse("1e-999999999")).isEqualTo(Row.of(new BigDecimal("0.00")));
    assertThatThrownBy(() -> csv.parse("9999.995"))
        .hasMessage(
            "field 1 'd' (DECIMAL(6, 2)): '9999.995' is not a DECIMAL(6, 2): it needs more than 6"
                + " digits with 2 after the point");
    assertThatThrownBy(() -> csv.parse("1e999999999"))
        .hasMessageEndingWith("it needs more than 6 digits with 2 after the point");
    assertThatThrownBy(() -> csv.parse("1E+2147483647"))
        .hasMessageEndingWith("it needs more than 6 digits with 2 after the point");
    assertThatThrownBy(() -> csv.parse("abc"))
        .hasMessage("field 1 'd' (DECIMAL(6, 2)): 'abc' is not a DECIMAL(6, 2)");
  }

  @Test
  void nestedMistakesSayWhereInTheValue() {
    LineParser csv = FileFormat.CSV.parser(NESTED);

    assertThatThrownBy(() -> csv.parse("1,1,\"[1, \",{},"))
        .hasMessageStartingWith(
            "field 3 'tags' (ARRAY<STRING>): '[1, ' is not a ARRAY<STRING>: malformed JSON at"
                + " character 5: ");
    assertThatThrownBy(() -> csv.parse("1,1,\"{\"\"a\"\": 1}\",{},"))
        .hasMessage(
            "field 3 'tags' (ARRAY<STRING>): '{\"a\": 1}' is not a ARRAY<STRING>: expected a JSON"
                + " array for ARRAY<STRING>, found an object");
    assertThatThrownBy(() -> csv.parse("1,1,[],\"{\"\"x\"\": \"\"big\"\"}\","))
        .hasMessageEndingWith(": at $[\"x\"]: \"big\" is not a DOUBLE");
    assertThatThrownBy(() -> csv.parse("1,1,[],{},\"{\"\"b\"\": [\"\"2026-13-01\"\"]}\""))
        .hasMessageEndingWith(": at $.b[0]: \"2026-13-01\" is not a DATE");
    assertThatThrownBy(() -> csv.parse("1,1,[],{},\"{\"\"c\"\": 1}\""))
        .hasMessageEndingWith(": ROW<a INT, b ARRAY<DATE>> has no field 'c'");
    assertThatThrownBy(() -> csv.parse("1,1,[],{},[1]"))
        .hasMessageEndingWith(": expected 2 values for ROW<a INT, b ARRAY<DATE>>, found 1");
    assertThatThrownBy(() -> csv.parse("1,1,[],{},\"[1, [[]]]\""))
        .hasMessageEndingWith(": at $.b[0]: expected a DATE, found an array");
    assertThatThrownBy(() -> csv.parse("1,1,[] x,{},"))
        .hasMessageContaining("'[] x' is not a ARRAY<STRING>: malformed JSON at character 5");
    LineParser intKeys = FileFormat.CSV.parser(SchemaParser.parse("m MAP<INT, STRING>"));
    assertThatThrownBy(() -> intKeys.parse("\"{\"\"1\"\": \"\"a\"\", \"\"x\"\": \"\"b\"\"}\""))
        .hasMessageEndingWith(": at $ key \"x\": \"x\" is not a INT");
  }

  @Test
  void jsonLinesTakeNestedValuesAsJsonAndKeepDecimalDigits() throws Exception {
    Schema schema =
        SchemaParser.parse("d DECIMAL, tags ARRAY<BIGINT>, r ROW<a INT, m MAP<INT, BOOLEAN>>");
    LineParser json = FileFormat.JSONL.parser(schema);

    Row row = json.parse("{\"d\": 12.50, \"tags\": [1, null], \"r\": {\"m\": {\"7\": true}}}");

    assertThat(row)
        .isEqualTo(
            Row.of(new BigDecimal("12.50"), new Long[] {1L, null}, Row.of(null, Map.of(7, true))));
    assertThat(((BigDecimal) row.getField(0)).scale()).isEqualTo(2);
    assertThat(new RowFormatter(FileFormat.JSONL, schema.columns()).format(row))
        .isEqualTo("{\"d\":12.50,\"tags\":[1,null],\"r\":{\"a\":null,\"m\":{\"7\":true}}}");
    assertThatThrownBy(() -> json.parse("{\"tags\": [1, 2.5]}"))
        .hasMessage(
            "field 2 'tags' (ARRAY<BIGINT>): [1,2.5] is not a ARRAY<BIGINT>: at $[1]: 2.5 is not a BIGINT");
    assertThatThrownBy(() -> json.parse("{\"tags\": \"[1]\"}"))
        .hasMessageEndingWith("expected a JSON array for ARRAY<BIGINT>, found \"[1]\"");
    assertThatThrownBy(() -> json.parse("{\"d\": 1} trailing"))
        .hasMessageStartingWith("malformed JSON at character 18: Unrecognized token 'trailing'");
  }
}
