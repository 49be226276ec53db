package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** The scalar types as other tools write their values, and what parameters do to values. */
class ScalarTypesTest {

  private static Row csv(String schema, String line) throws BadLineException {
    return FileFormat.CSV.parser(SchemaParser.parse(schema)).parse(line);
  }

  private static Row json(String schema, String line) throws BadLineException {
    return FileFormat.JSONL.parser(SchemaParser.parse(schema)).parse(line);
  }

  @Test
  void nanAndInfinityAsPythonPandasSparkAndJavaWriteThemInAnyCase() throws Exception {
    String[] nan = {"nan", "NaN", "NAN", "-nan", "+NaN", " nan "};
    String[] inf = {"inf", "+inf", "Inf", "INF", "Infinity", "+Infinity", "infinity", "INFINITY"};
    String[] minusInf = {"-inf", "-Inf", "-Infinity", "-INFINITY"};
    for (String text : nan) {
      assertThat(csv("x DOUBLE, y FLOAT", text + "," + text))
          .as(text)
          .isEqualTo(Row.of(Double.NaN, Float.NaN));
      assertThat(json("x DOUBLE, y FLOAT", "{\"x\": \"" + text + "\", \"y\": \"" + text + "\"}"))
          .isEqualTo(Row.of(Double.NaN, Float.NaN));
    }
    for (String text : inf) {
      assertThat(csv("x DOUBLE, y FLOAT", text + "," + text))
          .as(text)
          .isEqualTo(Row.of(Double.POSITIVE_INFINITY, Float.POSITIVE_INFINITY));
    }
    for (String text : minusInf) {
      assertThat(csv("x DOUBLE, y FLOAT", text + "," + text))
          .as(text)
          .isEqualTo(Row.of(Double.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY));
    }
    // bare JSON tokens, as Python's json.dumps and Spark write them, also inside arrays
    assertThat(
            json(
                "a DOUBLE, b DOUBLE, c FLOAT, d ARRAY<DOUBLE>",
                "{\"a\": NaN, \"b\": -Infinity, \"c\": Infinity, \"d\": [NaN, 1.5, -Infinity]}"))
        .isEqualTo(
            Row.of(
                Double.NaN,
                Double.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY,
                new Double[] {Double.NaN, 1.5, Double.NEGATIVE_INFINITY}));
    assertThat(csv("d ARRAY<DOUBLE>", "\"[\"\"nan\"\", \"\"-inf\"\", NaN]\""))
        .isEqualTo(
            Row.of((Object) new Double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.NaN}));
  }

  @Test
  void floatsOutOfRangeOrNotInDecimalNotationAreRefused() throws Exception {
    assertThatThrownBy(() -> csv("x DOUBLE", "1e400"))
        .hasMessage(
            "field 1 'x' (DOUBLE): '1e400' is not a DOUBLE: it is beyond DOUBLE's range (write inf"
                + " or -inf for infinity)");
    assertThatThrownBy(() -> csv("x FLOAT", "-1e39"))
        .hasMessageEndingWith(
            "it is beyond FLOAT's range of ±3.4028235E38 (write inf or -inf for infinity)");
    for (String text : new String[] {"0x1p3", "1.5d", "2f", "in", "nana", "--inf", "1,5", "1e"}) {
      assertThatThrownBy(() -> csv("x DOUBLE", "\"" + text + "\""))
          .as(text)
          .hasMessage("field 1 'x' (DOUBLE): '" + text + "' is not a DOUBLE");
    }
    assertThat(csv("x DOUBLE, y FLOAT", ".5e-3,-7.")).isEqualTo(Row.of(0.0005, -7.0f));
  }

  @Test
  void nanAndInfinityRoundTripThroughCsvAndJsonOutput() throws Exception {
    Schema schema = SchemaParser.parse("x DOUBLE, y FLOAT, z ARRAY<DOUBLE>");
    Row row =
        Row.of(
            Double.NaN,
            Float.NEGATIVE_INFINITY,
            new Double[] {Double.POSITIVE_INFINITY, null, -2.5});

    String csvLine = new RowFormatter(FileFormat.CSV, schema.columns()).format(row);
    String jsonLine = new RowFormatter(FileFormat.JSONL, schema.columns()).format(row);

    assertThat(csvLine).isEqualTo("NaN,-Infinity,\"[\"\"Infinity\"\",null,-2.5]\"");
    // JSON has no NaN: strings, which every JSON reader takes and this one reads back
    assertThat(jsonLine)
        .isEqualTo("{\"x\":\"NaN\",\"y\":\"-Infinity\",\"z\":[\"Infinity\",null,-2.5]}");
    assertThat(FileFormat.CSV.parser(schema).parse(csvLine)).isEqualTo(row);
    assertThat(FileFormat.JSONL.parser(schema).parse(jsonLine)).isEqualTo(row);
  }

  @Test
  void bytesAreBase64OfEitherAlphabetWithOrWithoutPaddingAndWrittenStandardPadded()
      throws Exception {
    byte[] bytes = {(byte) 0xFB, (byte) 0xFF, 0, 'a'};
    Schema schema = SchemaParser.parse("b BYTES, v VARBINARY, bs ARRAY<BYTES>");

    for (String text : new String[] {"+/8AYQ==", "+/8AYQ", "-_8AYQ==", "-_8AYQ", " +/8AYQ== "}) {
      assertThat(FileFormat.CSV.parser(schema).parse(text + "," + text + ",").getField(0))
          .as(text)
          .isEqualTo(bytes);
    }
    Row row = FileFormat.CSV.parser(schema).parse("\"\",,\"[\"\"YQ==\"\", null]\"");
    assertThat(row).isEqualTo(Row.of(new byte[0], null, new byte[][] {{'a'}, null}));
    assertThat(row.getField(2)).isInstanceOf(byte[][].class);

    Row full = Row.of(bytes, new byte[0], new byte[][] {bytes});
    String csvLine = new RowFormatter(FileFormat.CSV, schema.columns()).format(full);
    String jsonLine = new RowFormatter(FileFormat.JSONL, schema.columns()).format(full);
    assertThat(csvLine).isEqualTo("+/8AYQ==,\"\",\"[\"\"+/8AYQ==\"\"]\"");
    assertThat(jsonLine).isEqualTo("{\"b\":\"+/8AYQ==\",\"v\":\"\",\"bs\":[\"+/8AYQ==\"]}");
    assertThat(FileFormat.CSV.parser(schema).parse(csvLine)).isEqualTo(full);
    assertThat(FileFormat.JSONL.parser(schema).parse(jsonLine)).isEqualTo(full);
  }

  @Test
  void badBase64AndJsonNumbersForBytesAreRefused() {
    assertThatThrownBy(() -> csv("b BYTES", "YQ=a"))
        .hasMessageStartingWith(
            "field 1 'b' (BYTES): 'YQ=a' is not a BYTES: it is not base64 (A-Z a-z 0-9 and + / or"
                + " - _, '=' padding optional): ");
    assertThatThrownBy(() -> csv("b BYTES", "\"YQ ==\"")).hasMessageContaining("is not base64");
    assertThatThrownBy(() -> csv("b BYTES", "+_8A")).hasMessageContaining("is not base64");
    assertThatThrownBy(() -> json("b BYTES", "{\"b\": 1234}"))
        .hasMessage("'b' (BYTES) is a JSON number: 1234; expected a JSON string of base64");
    assertThatThrownBy(() -> json("b ARRAY<BYTES>", "{\"b\": [true]}"))
        .hasMessageEndingWith("at $[0]: expected a BYTES as a JSON string, found true");
  }

  @Test
  void varcharIsALengthCheckAndCharPadsWithSpaces() throws Exception {
    String schema = "v VARCHAR(3), c CHAR(3), s VARCHAR, one CHAR";

    assertThat(csv(schema, "abc,ab,anything at all,x"))
        .isEqualTo(Row.of("abc", "ab ", "anything at all", "x"));
    // characters are code points, as Python's len counts them
    assertThat(csv(schema, "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00,é,,"))
        .isEqualTo(Row.of("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", "é  ", null, null));
    assertThat(csv(schema, "a,\"abc  \",,")).isEqualTo(Row.of("a", "abc", null, null));
    assertThatThrownBy(() -> csv(schema, "abcd,a,,"))
        .hasMessage(
            "field 1 'v' (VARCHAR(3)): 'abcd' is not a VARCHAR(3): it has 4 characters, more than"
                + " VARCHAR(3) holds");
    assertThatThrownBy(() -> csv(schema, "a,abcd,,"))
        .hasMessageEndingWith("it has 4 characters, more than CHAR(3) holds");
    assertThatThrownBy(() -> csv(schema, "a,a,,xy"))
        .hasMessageEndingWith("it has 2 characters, more than CHAR(1) holds");
  }

  @Test
  void binaryPadsWithZeroBytesAndVarbinaryIsALengthCheck() throws Exception {
    String schema = "b BINARY(3), v VARBINARY(2)";

    assertThat(csv(schema, "YQ==,YWI="))
        .isEqualTo(Row.of(new byte[] {'a', 0, 0}, new byte[] {'a', 'b'}));
    assertThatThrownBy(() -> csv(schema, "YWJjZA==,"))
        .hasMessageEndingWith("it has 4 bytes, more than BINARY(3) holds");
    assertThatThrownBy(() -> csv(schema, ",YWJj"))
        .hasMessageEndingWith("it has 3 bytes, more than VARBINARY(2) holds");
  }

  @Test
  void timePrecisionsDropTheDigitsPastTheirPrecisionAsFlinkSqlsCastDoes() throws Exception {
    Row row =
        csv(
            "t TIME, t3 TIME(3), t9 TIME(9), ts TIMESTAMP, ts0 TIMESTAMP(0), ts3 TIMESTAMP(3),"
                + " ltz TIMESTAMP_LTZ, ltz1 TIMESTAMP_LTZ(1)",
            "10:15:30.123456789,10:15:30.123456789,10:15:30.123456789,"
                + "2026-11-21 10:15:30.987654321,2026-11-21 10:15:30.987654321,"
                + "1969-12-31T23:59:59.999999,2026-11-21T10:15:30.123456789Z,"
                + "1969-12-31T23:59:59.99Z");

    assertThat(row)
        .isEqualTo(
            Row.of(
                LocalTime.of(10, 15, 30),
                LocalTime.of(10, 15, 30, 123_000_000),
                LocalTime.of(10, 15, 30, 123_456_789),
                LocalDateTime.of(2026, 11, 21, 10, 15, 30, 987_654_000),
                LocalDateTime.of(2026, 11, 21, 10, 15, 30),
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000),
                Instant.parse("2026-11-21T10:15:30.123456Z"),
                Instant.parse("1969-12-31T23:59:59.9Z")));
  }

  @Test
  void sqlSpellingsOfTimestampsAndParameterMistakes() {
    Schema schema =
        SchemaParser.parse(
            "a TIMESTAMP(3) WITH LOCAL TIME ZONE, b TIMESTAMP WITHOUT TIME ZONE, c timestamp_ltz(2),"
                + " d NUMERIC(5, 1), e dec, f Varchar(10), g ROW<x BINARY(2)>");

    assertThat(schema.columns().stream().map(c -> c.type().name()))
        .containsExactly(
            "TIMESTAMP_LTZ(3)",
            "TIMESTAMP",
            "TIMESTAMP_LTZ(2)",
            "DECIMAL(5, 1)",
            "DECIMAL",
            "VARCHAR(10)",
            "ROW<x BINARY(2)>");
    assertThatThrownBy(() -> SchemaParser.parse("x VARCHAR(0)"))
        .hasMessageContaining(
            "at character 3: VARCHAR length must be between 1 and 2147483647, got 0");
    assertThatThrownBy(() -> SchemaParser.parse("x TIME(10)"))
        .hasMessageContaining("at character 3: TIME precision must be between 0 and 9, got 10");
    assertThatThrownBy(() -> SchemaParser.parse("x BIGINT(3)"))
        .hasMessageContaining("at character 3: BIGINT takes no parameters");
    assertThatThrownBy(() -> SchemaParser.parse("x VARCHAR(3, 4)"))
        .hasMessageContaining("at character 3: VARCHAR takes (n), not 2");
    assertThatThrownBy(() -> SchemaParser.parse("x VARCHAR(99999999999)"))
        .hasMessageContaining("at character 11: expected a parameter of VARCHAR(...), a whole");
    assertThatThrownBy(() -> SchemaParser.parse("x TIMESTAMP WITH TIME ZONE"))
        .hasMessageContaining(
            "at character 18: expected LOCAL in TIMESTAMP WITH LOCAL TIME ZONE, found 'TIME'");
    assertThatThrownBy(() -> SchemaParser.parse("x MAP<BYTES, INT>"))
        .hasMessageContaining(
            "at character 7: MAP keys cannot be BYTES: Java compares byte arrays by identity");
  }

  @Test
  void limitsApplyInsideNestedValuesAndToResults() throws Exception {
    Schema schema = SchemaParser.parse("a ARRAY<VARCHAR(2)>, m MAP<CHAR(2), TIMESTAMP(0)>");

    assertThat(FileFormat.CSV.parser(schema).parse("\"[\"\"ab\"\", null]\","))
        .isEqualTo(Row.of(new String[] {"ab", null}, null));
    assertThatThrownBy(() -> FileFormat.CSV.parser(schema).parse("\"[\"\"abc\"\"]\","))
        .hasMessageEndingWith(
            ": at $[0]: \"abc\" is not a VARCHAR(2): it has 3 characters, more than VARCHAR(2) holds");

    ColumnType map = schema.column(1).type();
    assertThat(map.hasLimit()).isTrue();
    assertThat(map.fit(Map.of("a", LocalDateTime.of(2026, 1, 1, 0, 0, 0, 5)), Json.ROOT))
        .isEqualTo(Map.of("a ", LocalDateTime.of(2026, 1, 1, 0, 0)));
    assertThatThrownBy(() -> schema.column(0).type().fit(new String[] {"ok", "long"}, Json.ROOT))
        .hasMessage("at $[1]: it has 4 characters, more than VARCHAR(2) holds");
    assertThat(SchemaParser.parse("x ARRAY<ROW<a STRING, b DOUBLE>>").column(0).type().hasLimit())
        .isFalse();
  }
}
