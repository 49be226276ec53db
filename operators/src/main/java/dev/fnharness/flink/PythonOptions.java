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
          .withDescription(
              "How workers start: 'process' (a child process of the TaskManager), 'docker' (a"
                  + " container of python.worker.docker.image) or 'external' (a worker pool at"
                  + " python.worker.external.address).");

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
          // PyFlink's default: below ~10,000 rows the fixed cost per bundle (instruction,
          // hand-offs, the worker's last batch) caps a job near 1M rows/s (RESULTS.md).
          .defaultValue(100_000)
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
          // A Python gRPC message costs tens of microseconds: 1,000-row batches pay that per
          // ~1,000 rows, 10,000-row batches a tenth of it.
          .defaultValue(10_000)
          .withDescription(
              "Rows per columnar batch sent to the worker within a bundle (at most the bundle"
                  + " size). The worker starts on a batch while the next one is filled.");

  public static final ConfigOption<Integer> BUNDLES_IN_FLIGHT =
      ConfigOptions.key("python.fn-execution.bundles-in-flight")
          .intType()
          .defaultValue(2)
          .withDescription(
              "Scalar and table functions: how many bundles may be in flight at once, the one"
                  + " taking rows included. With 2 the next bundle fills while the worker"
                  + " finishes the previous one, whose results still come out first; 1 waits"
                  + " for every bundle's last result before taking the next row. Up to this many"
                  + " bundles of rows wait in memory. Checkpoints and the end of input still"
                  + " wait for every bundle. Keyed functions always use 1.");

  public static final ConfigOption<Integer> STATE_CACHE_SIZE =
      ConfigOptions.key("python.state.cache-size")
          .intType()
          .defaultValue(100_000)
          .withDescription(
              "Keyed functions: how many (key, state) entries the worker keeps between bundles,"
                  + " so a key seen again reads its state without a round trip. Not used for"
                  + " state with a TTL.");

  public static final ConfigOption<String> PYTHON_REQUIREMENTS =
      ConfigOptions.key("python.requirements")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "'requirements.txt#wheel_dir': the worker installs the requirements offline with"
                  + " 'pip install --no-index --find-links wheel_dir -r requirements.txt' into a"
                  + " directory named by a hash of both, reused by later workers, and puts it on"
                  + " sys.path.");

  public static final ConfigOption<String> PYTHON_ARCHIVES =
      ConfigOptions.key("python.archives")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Comma-separated archives (.zip, .tar, .tar.gz, .tgz, .tar.bz2, .tar.xz), each"
                  + " 'path' or 'path#name'. The worker extracts each (once per content) and"
                  + " links it as 'name' (default: the file name) in its working directory; a"
                  + " function finds it at './name' or fnharness_worker.archive_path('name').");

  public static final ConfigOption<String> DOCKER_IMAGE =
      ConfigOptions.key("python.worker.docker.image")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Docker mode: the worker image; its entry point must be 'python -m"
                  + " fnharness_worker' (worker-python/Dockerfile).");

  public static final ConfigOption<List<String>> DOCKER_RUN_ARGS =
      ConfigOptions.key("python.worker.docker.run-args")
          .stringType()
          .asList()
          .noDefaultValue()
          .withDescription(
              "Docker mode: extra 'docker run' arguments, separated by ';', placed before the"
                  + " image, e.g. '-v;/data/cache:/cache;-e;FNHARNESS_CACHE_DIR=/cache'.");

  public static final ConfigOption<String> EXTERNAL_ADDRESS =
      ConfigOptions.key("python.worker.external.address")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "External mode: host:port of the worker pool ('fnharness-worker-pool --port N',"
                  + " from the worker's wheel). The pool must run on the TaskManager's machine, unless"
                  + " python.worker.external.runner-bind-host lets other machines reach the"
                  + " runner.");

  public static final ConfigOption<String> EXTERNAL_TOKEN =
      ConfigOptions.key("python.worker.external.token")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "External mode: the pool's shared secret, sent with every call (a pool on a"
                  + " non-loopback address requires one).");

  public static final ConfigOption<String> EXTERNAL_TOKEN_FILE =
      ConfigOptions.key("python.worker.external.token-file")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "External mode: a file holding the pool's shared secret, read when a worker starts"
                  + " (instead of python.worker.external.token).");

  public static final ConfigOption<String> EXTERNAL_RUNNER_BIND_HOST =
      ConfigOptions.key("python.worker.external.runner-bind-host")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "External mode: the address the runner's gRPC server, which the pool's workers"
                  + " dial, listens on (a free port each). Default: loopback, so the pool must"
                  + " run on the TaskManager's machine. Any other address, e.g. '0.0.0.0' for"
                  + " all interfaces, lets a pool on another host be used: each worker must"
                  + " then send the token the runner gave its pool, and"
                  + " python.worker.external.token (or token-file) must be set. Plain text, no"
                  + " TLS: use it only on a network you trust.");

  public static final ConfigOption<String> EXTERNAL_RUNNER_HOST =
      ConfigOptions.key("python.worker.external.runner-host")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "External mode: the host the pool's workers dial to reach the runner. Default:"
                  + " the runner-bind-host address, or, when that is '0.0.0.0' or '::', the"
                  + " TaskManager's address as Flink knows it (taskmanager.host).");

  public static final ConfigOption<String> WORKER_SCOPE =
      ConfigOptions.key("python.worker.scope")
          .stringType()
          .defaultValue("operator")
          .withDescription(
              "'operator': each Python operator instance has its own worker. 'slot': the Python"
                  + " operators of one slot with the same worker settings share one worker (as"
                  + " PyFlink does), which saves processes and memory.");

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
          BUNDLES_IN_FLIGHT,
          STATE_CACHE_SIZE,
          PYTHON_REQUIREMENTS,
          PYTHON_ARCHIVES,
          DOCKER_IMAGE,
          DOCKER_RUN_ARGS,
          EXTERNAL_ADDRESS,
          EXTERNAL_TOKEN,
          EXTERNAL_TOKEN_FILE,
          EXTERNAL_RUNNER_BIND_HOST,
          EXTERNAL_RUNNER_HOST,
          WORKER_SCOPE);
}
