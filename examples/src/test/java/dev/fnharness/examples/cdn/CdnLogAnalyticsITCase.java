package dev.fnharness.examples.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fnharness.flink.PythonOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CDN job with its real Python UDF, checked against the same statistics computed in Java from
 * the same generated log and the same IP-range table.
 */
class CdnLogAnalyticsITCase {

  private static final Path UDFS = Path.of("src/main/python/cdn").toAbsolutePath();
  private static final long ROWS = 40_000;

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void statisticsPerProvinceMatchAJavaLookupOfTheSameTable() throws Exception {
    Configuration config = new Configuration();
    config.set(PythonOptions.PYTHON_FILES, UDFS.toString());
    config.set(
        PythonOptions.PYTHON_EXECUTABLE, System.getProperty("fnharness.test.python", "python3"));
    config.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(2);
    AtomicLong progress = new AtomicLong();

    List<Row> statistics = CdnLogAnalytics.statistics(env, ROWS, progress::addAndGet);

    Map<String, long[]> expected = expectedTotals();
    assertThat(statistics)
        .extracting(r -> (String) r.getField(0))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(expected).containsKey("unknown").hasSizeGreaterThan(25);
    for (Row row : statistics) {
      long[] t = expected.get((String) row.getField(0));
      assertThat(row.getField(1)).as("access_count of %s", row.getField(0)).isEqualTo(t[0]);
      assertThat(row.getField(2)).as("total_download of %s", row.getField(0)).isEqualTo(t[1]);
      assertThat((Double) row.getField(3)).isCloseTo((double) t[1] / t[2], within(1e-9));
    }
    assertThat(progress.get()).isPositive().isLessThanOrEqualTo(ROWS);
    assertThat(progress.get() % ProgressTicks.EVERY).isZero();
  }

  /** access_count, total_download, total_request_time per province, looked up in Java. */
  private static Map<String, long[]> expectedTotals() throws IOException {
    TreeMap<Long, String[]> ranges = new TreeMap<>();
    List<String> lines = Files.readAllLines(UDFS.resolve("ip_ranges.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      ranges.put(ipToLong(f[0]), new String[] {f[1], f[2]});
    }
    Map<String, long[]> totals = new HashMap<>();
    for (long i = 0; i < ROWS; i++) {
      Row row = AccessLogGenerator.row(i);
      long ip = ipToLong((String) row.getField(1));
      Map.Entry<Long, String[]> range = ranges.floorEntry(ip);
      String province =
          range != null && ip <= ipToLong(range.getValue()[0]) ? range.getValue()[1] : "unknown";
      long[] t = totals.computeIfAbsent(province, p -> new long[3]);
      t[0]++;
      t[1] += (Long) row.getField(3);
      t[2] += (Long) row.getField(2);
    }
    return totals;
  }

  private static long ipToLong(String ip) {
    long value = 0;
    for (String part : ip.split("\\.")) {
      value = value * 256 + Integer.parseInt(part);
    }
    return value;
  }
}
