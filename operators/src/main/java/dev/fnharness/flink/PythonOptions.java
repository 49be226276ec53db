package dev.fnharness.flink;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Configuration of Python functions. Set them on the job's environment ({@code
 * StreamExecutionEnvironment.getExecutionEnvironment(conf)} or {@code env.configure(conf)}) or in
 * the cluster configuration; the environment's values win. Keys follow PyFlink's where one exists.
 */
public final class PythonOptions {

  private PythonOptions() {}

  public static final ConfigOption<String> PYTHON_EXECUTABLE =
      ConfigOptions.key("python.executable")
          .stringType()
          .defaultValue("python3")
          .withDescription(
              "The Python interpreter that runs the worker. It needs grpcio and protobuf"
                  + " (worker-python/requirements.txt).");

  public static final ConfigOption<String> PYTHON_FILES =
      ConfigOptions.key("python.files")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Comma-separated .py files, directories and .zip files put on the worker's"
                  + " sys.path, so that functions named 'module:function' can be imported.");

  public static final ConfigOption<String> WORKER_MODE =
      ConfigOptions.key("python.worker.mode")
          .stringType()
          .defaultValue("process")
          .withDescription("How workers start. Supported: process.");

  public static final ConfigOption<Duration> WORKER_STARTUP_TIMEOUT =
      ConfigOptions.key("python.worker.startup-timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "How long to wait for a started worker to connect before failing with what it"
                  + " printed.");

  public static final ConfigOption<String> WORKER_LOG_LEVEL =
      ConfigOptions.key("python.worker.log-level")
          .stringType()
          .defaultValue("INFO")
          .withDescription(
              "Level of the worker's root Python logger; its records reach SLF4J under"
                  + " 'fnharness.python.<logger name>'.");

  public static final ConfigOption<Integer> BUNDLE_SIZE =
      ConfigOptions.key("python.fn-execution.bundle.size")
          .intType()
          .defaultValue(1000)
          .withDescription(
              "A bundle closes after this many rows. Larger bundles mean fewer round trips and"
                  + " more rows held in memory.");

  public static final ConfigOption<Long> BUNDLE_TIME =
      ConfigOptions.key("python.fn-execution.bundle.time")
          .longType()
          .defaultValue(1000L)
          .withDescription(
              "A bundle closes this many milliseconds after its first row, so results and"
                  + " watermarks are not held back on a slow stream.");

  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("python.fn-execution.batch.size")
          .intType()
          .defaultValue(1000)
          .withDescription(
              "Rows per columnar batch sent to the worker within a bundle (at most the bundle"
                  + " size). The worker starts on a batch while the next one is filled.");

  public static final ConfigOption<Integer> STATE_CACHE_SIZE =
      ConfigOptions.key("python.state.cache-size")
          .intType()
          .defaultValue(100_000)
          .withDescription(
              "Keyed functions: how many (key, state) entries the worker keeps between bundles,"
                  + " so a key seen again reads its state without a round trip. Not used for"
                  + " state with a TTL.");

  /** Every option above: unknown keys under our prefixes are rejected against this list. */
  public static final List<ConfigOption<?>> ALL =
      List.of(
          PYTHON_EXECUTABLE,
          PYTHON_FILES,
          WORKER_MODE,
          WORKER_STARTUP_TIMEOUT,
          WORKER_LOG_LEVEL,
          BUNDLE_SIZE,
          BUNDLE_TIME,
          BATCH_SIZE,
          STATE_CACHE_SIZE);
}
