package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** python.files reach the worker through Flink's distributed cache, not from the client's path. */
class ShippedPythonFilesITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  @Test
  void aDirectoryAndAFileAreImportedFromTheTaskManagersCopies() throws Exception {
    Path probeDir = resource("/shipped/probe_dir");
    Configuration config =
        TestPython.config(
            "python.files", probeDir + "," + TestPython.udfFile(), "restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(1);

    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it =
        PythonFunctions.scalar(
                env.fromData(
                    Types.ROW_NAMED(new String[] {"x"}, Types.LONG), Row.of(1L), Row.of(2L)),
                PythonScalarFunction.of("probe:module_file")
                    .args("x")
                    .returns(Types.STRING)
                    .as("file"),
                PythonScalarFunction.of("test_udfs:add_one").args("x").returns(Types.LONG).as("y"))
            .executeAndCollect("shipped-files")) {
      it.forEachRemaining(rows::add);
    }

    assertThat(rows).hasSize(2);
    for (Row row : rows) {
      String file = (String) row.getField(1);
      assertThat(file)
          .as("the module came from the TaskManager's file cache")
          .contains("flink-dist-cache-")
          .endsWith("/probe_dir/probe.py")
          .doesNotStartWith(probeDir.toRealPath().toString());
      assertThat(row.getField(2)).isEqualTo((Long) row.getField(0) + 1);
    }
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ShippedPythonFilesITCase.class.getResource(name).toURI());
  }
}
