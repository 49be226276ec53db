package dev.fnharness.examples.cdn;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonOptions;
import dev.fnharness.flink.PythonScalarFunction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * CDN access-log analytics, after the well-known PyFlink case study: access-log rows, a Python UDF
 * {@code ip_to_province(client_ip)} that resolves each address with a bundled range table, and a
 * Flink keyed aggregation per province of access_count, total_download and download_speed. Runs on
 * an embedded MiniCluster, prints progress while it runs, then the results, which it also writes to
 * a CSV file.
 *
 * <pre>
 * CdnLogAnalytics [--rows N] [--parallelism N] [--output cdn_statistics.csv]
 *                 [--udfs examples/src/main/python/cdn] [--python python3]
 * </pre>
 */
public final class CdnLogAnalytics {

  private static final TypeInformation<Either<Long, Row>> OUTPUT_TYPE =
      new EitherTypeInfo<>(Types.LONG, ProvinceStatistics.ROW_TYPE);

  private CdnLogAnalytics() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    Configuration config = new Configuration();
    config.set(PythonOptions.PYTHON_FILES, settings.udfs().toAbsolutePath().toString());
    config.set(PythonOptions.PYTHON_EXECUTABLE, settings.python());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(settings.parallelism());

    System.out.printf(
        Locale.ROOT,
        "CDN access-log analytics: %,d generated log rows, parallelism %d, Python UDF"
            + " cdn_udf:ip_to_province from %s%n",
        settings.rows(),
        settings.parallelism(),
        settings.udfs());
    ProgressLine progress = new ProgressLine(System.out);
    List<Row> statistics = statistics(env, settings.rows(), progress::add);
    double seconds = progress.secondsSinceStart();

    StatisticsReport report = new StatisticsReport(statistics);
    report.print(System.out);
    report.writeCsv(settings.output());
    System.out.printf(
        Locale.ROOT,
        "%,d rows in %.1f s (%,.0f rows/s, including start-up); results also in %s%n",
        settings.rows(),
        seconds,
        settings.rows() / seconds,
        settings.output().toAbsolutePath());
  }

  /**
   * Runs the job over {@code rows} generated log rows and returns one row per province ({@link
   * ProvinceStatistics#ROW_TYPE}); {@code progress} hears of processed rows while it runs.
   */
  public static List<Row> statistics(
      StreamExecutionEnvironment env, long rows, LongConsumer progress) throws Exception {
    DataStream<Row> accessLog =
        env.fromSequence(0, rows - 1)
            .map(new AccessLogGenerator())
            .returns(AccessLogGenerator.ROW_TYPE)
            .name("access log");

    // SELECT ip_to_province(client_ip) AS province, response_size, request_time: only the
    // columns the aggregation needs wait for the Python results.
    SingleOutputStreamOperator<Row> withProvince =
        PythonFunctions.on(accessLog)
            .keep("response_size", "request_time")
            .scalar(
                PythonScalarFunction.of("cdn_udf:ip_to_province")
                    .args("client_ip")
                    .returns(Types.STRING)
                    .as("province"));
    SingleOutputStreamOperator<Row> counted =
        withProvince.process(new ProgressTicks()).returns(withProvince.getType()).name("progress");

    // GROUP BY province
    DataStream<Row> perProvince =
        counted
            .keyBy(row -> (String) row.getField(2), Types.STRING)
            .process(new ProvinceStatistics())
            .returns(ProvinceStatistics.ROW_TYPE)
            .name("statistics per province");

    DataStream<Either<Long, Row>> ticks =
        counted
            .getSideOutput(ProgressTicks.TICKS)
            .map(Either::<Long, Row>Left)
            .returns(OUTPUT_TYPE);
    DataStream<Either<Long, Row>> results =
        perProvince.map(Either::<Long, Row>Right).returns(OUTPUT_TYPE);

    List<Row> statistics = new ArrayList<>();
    try (CloseableIterator<Either<Long, Row>> out =
        ticks.union(results).executeAndCollect("CDN access-log analytics")) {
      while (out.hasNext()) {
        Either<Long, Row> next = out.next();
        if (next.isLeft()) {
          progress.accept(next.left());
        } else {
          statistics.add(next.right());
        }
      }
    }
    return statistics;
  }

  /** The command line. */
  record Settings(long rows, int parallelism, Path output, Path udfs, String python) {

    static Settings parse(String[] args) {
      long rows = 1_000_000;
      int parallelism = 2;
      Path output = Path.of("cdn_statistics.csv");
      Path udfs = Path.of("examples/src/main/python/cdn");
      String python = "python3";
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        String value = args[i + 1];
        switch (args[i]) {
          case "--rows" -> rows = Long.parseLong(value);
          case "--parallelism" -> parallelism = Integer.parseInt(value);
          case "--output" -> output = Path.of(value);
          case "--udfs" -> udfs = Path.of(value);
          case "--python" -> python = value;
          default ->
              throw new IllegalArgumentException(
                  "Unknown option "
                      + args[i]
                      + "; options: --rows N, --parallelism N, --output FILE.csv,"
                      + " --udfs DIR, --python EXECUTABLE");
        }
      }
      if (rows < 1 || parallelism < 1) {
        throw new IllegalArgumentException("--rows and --parallelism must be at least 1");
      }
      return new Settings(rows, parallelism, output, udfs, python);
    }
  }
}
