package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** How {@code --keep} and the UDFs make the output columns, checked on the built job graph. */
class CliPipelineTest {

  private static final Schema SCHEMA = SchemaParser.parse("id BIGINT, line STRING, n INT");

  private static List<String> built(List<String> keep, List<String> udfs, List<String> tables) {
    CliPipeline pipeline = new CliPipeline(SCHEMA, keep, udfs, tables);
    // build() checks that the last operator's columns are the output columns, in order
    pipeline.build(
        StreamExecutionEnvironment.getExecutionEnvironment(),
        new InputFile("in.csv", null),
        FileFormat.CSV.parser(SCHEMA),
        false,
        1024,
        new RowFormatter(FileFormat.CSV, pipeline.outputColumns()));
    return pipeline.outputColumns().stream().map(Schema.Column::name).toList();
  }

  @Test
  void keepChoosesTheOutputsInputColumnsWhileEveryUdfReadsAnyInputColumn() {
    assertThat(
            built(
                List.of("id"),
                List.of("m:f(n) AS y BIGINT"),
                List.of("m:words(line) AS w STRING", "m:g(n, w, y) AS z INT")))
        .containsExactly("id", "y", "w", "z");
    assertThat(built(List.of(), List.of(), List.of("m:words(line) AS (w STRING, k INT)")))
        .containsExactly("w", "k");
    assertThat(built(null, List.of("m:f(n) AS y BIGINT"), List.of("m:t(line, n) AS w STRING")))
        .containsExactly("id", "line", "n", "y", "w");
  }

  @Test
  void aResultMayTakeTheNameOfAColumnTheOutputDropsAndLaterUdfsThenReadTheResult() {
    assertThat(
            built(
                List.of("id"),
                List.of("m:f(line) AS line STRING"),
                List.of("m:words(line) AS w STRING")))
        .containsExactly("id", "line", "w");
  }

  @Test
  void aResultNamedAsAnotherOutputColumnIsRefusedNamingTheSpec() {
    assertThatThrownBy(
            () -> built(List.of("id", "line"), List.of("m:f(n) AS line STRING"), List.of()))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "--udf \"m:f(n) AS line STRING\": its result column 'line' has the name of another"
                + " column of the output (id, line); choose another");
    assertThatThrownBy(
            () ->
                built(
                    null,
                    List.of("m:f(n) AS y INT"),
                    List.of("m:words(line) AS (w STRING, y INT)")))
        .hasMessageStartingWith(
            "--table-udf \"m:words(line) AS (w STRING, y INT)\": its result column 'y'");
    assertThatThrownBy(() -> built(List.of("id"), List.of(), List.of("m:words(nope) AS w STRING")))
        .hasMessageContaining("there is no column 'nope'; the columns are id, line, n");
  }
}
