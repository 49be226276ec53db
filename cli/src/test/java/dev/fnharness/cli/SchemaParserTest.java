package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.PythonTypes;
import org.apache.flink.api.common.typeinfo.Types;
import org.junit.jupiter.api.Test;

class SchemaParserTest {

  @Test
  void namesAndTypesInOrderAnyCase() {
    Schema schema = SchemaParser.parse("ip STRING, size bigint,ok Boolean, n INTEGER, x DOUBLE");

    assertThat(schema.names()).containsExactly("ip", "size", "ok", "n", "x");
    assertThat(schema.rowType())
        .isEqualTo(
            Types.ROW_NAMED(
                new String[] {"ip", "size", "ok", "n", "x"},
                Types.STRING,
                Types.LONG,
                Types.BOOLEAN,
                Types.INT,
                Types.DOUBLE));
  }

  @Test
  void anUnknownTypeIsPointedAtWithTheKnownOnes() {
    assertThatThrownBy(() -> SchemaParser.parse("ip STRING, size BIGINTT"))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "--schema \"ip STRING, size BIGINTT\": at character 17: unknown type 'BIGINTT';"
                + " known types: TINYINT, SMALLINT, INT, INTEGER, BIGINT, FLOAT, DOUBLE,"
                + " DECIMAL[(p, s)], DEC, NUMERIC, BOOLEAN, STRING, VARCHAR[(n)], CHAR[(n)], BYTES,"
                + " VARBINARY[(n)], BINARY[(n)], DATE, TIME[(p)], TIMESTAMP[(p)], TIMESTAMP_LTZ[(p)],"
                + " ARRAY<T>, MAP<K, V>, ROW<name T, ...>\n"
                + "    ip STRING, size BIGINTT\n"
                + "                    ^");
  }

  @Test
  void aMissingTypeCommaOrNameIsNamed() {
    assertThatThrownBy(() -> SchemaParser.parse("ip, size BIGINT"))
        .hasMessageContaining("at character 3: expected the type of column 'ip', found ','");
    assertThatThrownBy(() -> SchemaParser.parse("ip STRING size BIGINT"))
        .hasMessageContaining("at character 11: expected ',' before the next column, found 'size'");
    assertThatThrownBy(() -> SchemaParser.parse("ip STRING,"))
        .hasMessageContaining("at character 11: expected a column name, found the end");
    assertThatThrownBy(() -> SchemaParser.parse("ip STRING, IP BIGINT"))
        .hasMessageContaining("at character 12: column 'IP' appears twice");
    assertThatThrownBy(() -> SchemaParser.parse("ip STRING; x INT"))
        .hasMessageContaining("at character 10: unexpected character ';'");
  }

  @Test
  void parameterizedAndNestedTypesToAnyDepth() {
    Schema schema =
        SchemaParser.parse(
            "price DECIMAL(10, 2), n decimal(5), d DECIMAL, tags ARRAY<STRING>,"
                + " m MAP<string, Array<ROW<a INT, b DECIMAL(4,1)>>>,"
                + " r ROW<x DOUBLE, y ARRAY<ARRAY<BIGINT>>>, after INT");

    assertThat(schema.names()).containsExactly("price", "n", "d", "tags", "m", "r", "after");
    assertThat(schema.columns().stream().map(c -> c.type().name()))
        .containsExactly(
            "DECIMAL(10, 2)",
            "DECIMAL(5, 0)",
            "DECIMAL",
            "ARRAY<STRING>",
            "MAP<STRING, ARRAY<ROW<a INT, b DECIMAL(4, 1)>>>",
            "ROW<x DOUBLE, y ARRAY<ARRAY<BIGINT>>>",
            "INT");
    assertThat(schema.rowType())
        .isEqualTo(
            Types.ROW_NAMED(
                new String[] {"price", "n", "d", "tags", "m", "r", "after"},
                PythonTypes.DECIMAL(10, 2),
                PythonTypes.DECIMAL(5, 0),
                Types.BIG_DEC,
                Types.OBJECT_ARRAY(Types.STRING),
                Types.MAP(
                    Types.STRING,
                    Types.OBJECT_ARRAY(
                        Types.ROW_NAMED(
                            new String[] {"a", "b"}, Types.INT, PythonTypes.DECIMAL(4, 1)))),
                Types.ROW_NAMED(
                    new String[] {"x", "y"},
                    Types.DOUBLE,
                    Types.OBJECT_ARRAY(Types.OBJECT_ARRAY(Types.LONG))),
                Types.INT));
  }

  @Test
  void mistakesInNestedTypesArePointedAt() {
    assertThatThrownBy(() -> SchemaParser.parse("x MAP<ARRAY<INT>, INT>"))
        .hasMessage(
            "--schema \"x MAP<ARRAY<INT>, INT>\": at character 7: MAP keys are JSON object keys, so"
                + " their type is a scalar one, not ARRAY<INT>\n"
                + "    x MAP<ARRAY<INT>, INT>\n"
                + "          ^");
    assertThatThrownBy(() -> SchemaParser.parse("x ARRAY<INT"))
        .hasMessageContaining("at character 12: expected '>' to close ARRAY<INT, found the end");
    assertThatThrownBy(() -> SchemaParser.parse("x ARRAY INT"))
        .hasMessageContaining("at character 9: expected '<' after ARRAY (ARRAY<T>), found 'INT'");
    assertThatThrownBy(() -> SchemaParser.parse("x ARRAY<FOO>"))
        .hasMessageContaining("at character 9: unknown type 'FOO'; known types: TINYINT");
    assertThatThrownBy(() -> SchemaParser.parse("x MAP<STRING INT>"))
        .hasMessageContaining(
            "at character 14: expected ',' between the key and value types of MAP<STRING, found 'INT'");
    assertThatThrownBy(() -> SchemaParser.parse("x ROW<a INT, A STRING>"))
        .hasMessageContaining("at character 14: ROW field 'A' appears twice");
    assertThatThrownBy(() -> SchemaParser.parse("x ROW<a INT b INT>"))
        .hasMessageContaining(
            "at character 13: expected ',' or '>' after ROW field 'a', found 'b'");
    assertThatThrownBy(() -> SchemaParser.parse("x ROW<>"))
        .hasMessageContaining("at character 7: expected a field name of ROW, found '>'");
    assertThatThrownBy(() -> SchemaParser.parse("x ROW<a>"))
        .hasMessageContaining("at character 8: expected the type of ROW field 'a', found '>'");
    assertThatThrownBy(() -> SchemaParser.parse("x DECIMAL(5, 7)"))
        .hasMessageContaining(
            "at character 3: DECIMAL scale must be between 0 and the precision 5, got 7");
    assertThatThrownBy(() -> SchemaParser.parse("x DECIMAL(0)"))
        .hasMessageContaining("at character 3: DECIMAL precision must be at least 1, got 0");
    assertThatThrownBy(() -> SchemaParser.parse("x DECIMAL(1.5)"))
        .hasMessageContaining(
            "at character 11: expected a parameter of DECIMAL(...), a whole number, found '1.5'");
    assertThatThrownBy(() -> SchemaParser.parse("x DECIMAL(10, 2 y INT"))
        .hasMessageContaining(
            "at character 17: expected ',' or ')' to close DECIMAL(10, 2, found 'y'");
    assertThatThrownBy(() -> SchemaParser.parse("x ARRAY<INT>> y INT"))
        .hasMessageContaining("at character 13: expected ',' before the next column, found '>'");
  }
}
