package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                + " known types: BIGINT, INT, DOUBLE, BOOLEAN, STRING, TINYINT, SMALLINT, FLOAT, DECIMAL,"
                + " DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ, INTEGER, VARCHAR\n"
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
}
