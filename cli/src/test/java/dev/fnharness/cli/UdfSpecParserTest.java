package dev.fnharness.cli;

import static dev.fnharness.flink.PythonExpression.call;
import static dev.fnharness.flink.PythonExpression.col;
import static dev.fnharness.flink.PythonExpression.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.PythonCall;
import dev.fnharness.flink.PythonExpression;
import dev.fnharness.flink.PythonTableFunction;
import dev.fnharness.flink.PythonTypes;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.junit.jupiter.api.Test;

class UdfSpecParserTest {

  private static final List<String> COLUMNS = List.of("ip", "size", "line");

  @Test
  void aScalarUdfWithColumnsNestedCallsAndConstants() {
    UdfSpec spec =
        UdfSpecParser.scalar(
            "pkg.mod:f(ip, pkg.mod:g(size, -3), 'it''s', 1.5e3, TRUE, null) as label string",
            COLUMNS);

    assertThat(spec.call().reference()).isEqualTo("pkg.mod:f");
    List<PythonExpression> args = spec.call().arguments();
    assertThat(args).hasSize(6);
    assertThat(args.get(0)).isEqualTo(col("ip"));
    assertThat(args.get(1)).hasToString(call("pkg.mod:g").args(col("size"), lit(-3L)).toString());
    assertThat(((PythonCall) args.get(1)).arguments()).containsExactly(col("size"), lit(-3L));
    assertThat(args.subList(2, 6)).containsExactly(lit("it's"), lit(1500.0), lit(true), lit(null));
    assertThat(spec.scalarFunction().resultName()).isEqualTo("label");
    assertThat(spec.scalarFunction().resultType()).isEqualTo(Types.STRING);
  }

  @Test
  void aTableUdfWithOneOrSeveralColumns() {
    PythonTableFunction one =
        UdfSpecParser.table("w:words(line) AS word STRING", COLUMNS).tableFunction();
    PythonTableFunction two =
        UdfSpecParser.table("w:words_with_length(line) AS (word STRING, length INT)", COLUMNS)
            .tableFunction();

    assertThat(one.resultNames()).containsExactly("word");
    assertThat(one.resultTypes()).containsExactly(Types.STRING);
    assertThat(two.resultNames()).containsExactly("word", "length");
    assertThat(two.resultTypes()).containsExactly(Types.STRING, Types.INT);
  }

  @Test
  void mistakesArePointedAt() {
    assertThatThrownBy(
            () -> UdfSpecParser.scalar("cdn_udf:ip_to_province(ip AS province STRING", COLUMNS))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "--udf \"cdn_udf:ip_to_province(ip AS province STRING\": at character 27: expected ','"
                + " or ')' after an argument of cdn_udf:ip_to_province, found 'AS'\n"
                + "    cdn_udf:ip_to_province(ip AS province STRING\n"
                + "                              ^");
    assertThatThrownBy(() -> UdfSpecParser.scalar("udfs:f(ipp) AS y BIGINT", COLUMNS))
        .hasMessageContaining(
            "at character 8: there is no column 'ipp'; the columns are ip, size, line");
    assertThatThrownBy(() -> UdfSpecParser.scalar("add_one(size) AS y BIGINT", COLUMNS))
        .hasMessageContaining("at character 8: expected ':' between module and function");
    assertThatThrownBy(() -> UdfSpecParser.scalar("udfs:f(g(ip)) AS y BIGINT", COLUMNS))
        .hasMessageContaining("at character 8: function 'g' needs its module: module:g(...)");
    assertThatThrownBy(() -> UdfSpecParser.scalar("udfs:f(ip) y BIGINT", COLUMNS))
        .hasMessageContaining("at character 12: expected AS after the call, found 'y'");
    assertThatThrownBy(() -> UdfSpecParser.scalar("udfs:f(ip) AS y", COLUMNS))
        .hasMessageContaining(
            "at character 16: expected the type of result column 'y', found the end");
    assertThatThrownBy(() -> UdfSpecParser.scalar("udfs:f(ip) AS y LONGER", COLUMNS))
        .hasMessageContaining("at character 17: unknown type 'LONGER'");
    assertThatThrownBy(() -> UdfSpecParser.scalar("udfs:f(ip) AS (a INT, b INT)", COLUMNS))
        .hasMessageContaining("several are for --table-udf");
    assertThatThrownBy(() -> UdfSpecParser.scalar("udfs:f('open) AS y INT", COLUMNS))
        .hasMessageContaining("at character 8: this string has no closing quote");
    assertThatThrownBy(() -> UdfSpecParser.table("w:f(line) AS (a INT, a STRING)", COLUMNS))
        .hasMessageContaining("--table-udf")
        .hasMessageContaining("at character 22: result column 'a' appears twice");
    assertThatThrownBy(() -> UdfSpecParser.scalar("udfs:f(ip) AS y INT extra", COLUMNS))
        .hasMessageContaining("at character 21: unexpected 'extra' after the result column");
  }

  @Test
  void resultTypesMayBeParameterizedAndNested() {
    UdfSpec scalar =
        UdfSpecParser.scalar("m:f(size) AS prices MAP<STRING, ARRAY<DECIMAL(10, 2)>>", COLUMNS);
    PythonTableFunction table =
        UdfSpecParser.table("m:g(line) AS (word STRING, pos ROW<line INT, col INT>)", COLUMNS)
            .tableFunction();

    assertThat(scalar.scalarFunction().resultType())
        .isEqualTo(Types.MAP(Types.STRING, Types.OBJECT_ARRAY(PythonTypes.DECIMAL(10, 2))));
    assertThat(table.resultNames()).containsExactly("word", "pos");
    assertThat(table.resultTypes())
        .containsExactly(
            Types.STRING, Types.ROW_NAMED(new String[] {"line", "col"}, Types.INT, Types.INT));
    assertThatThrownBy(() -> UdfSpecParser.scalar("m:f(ip) AS y ARRAY<INT", COLUMNS))
        .hasMessageContaining("at character 23: expected '>' to close ARRAY<INT, found the end");
  }

  @Test
  void aTableUdfOfOneRowColumnIsRefusedForItWouldBeItsFields() {
    assertThatThrownBy(() -> UdfSpecParser.table("m:g(line) AS pos ROW<a INT, b INT>", COLUMNS))
        .hasMessageContaining(
            "at character 18: a --table-udf with one ROW result column would yield its fields as"
                + " columns: declare them as the columns instead, AS (name TYPE, ...)");
    assertThatThrownBy(() -> UdfSpecParser.table("m:g(line) AS (pos ROW<a INT>)", COLUMNS))
        .hasMessageContaining("at character 19: a --table-udf with one ROW result column");
  }
}
