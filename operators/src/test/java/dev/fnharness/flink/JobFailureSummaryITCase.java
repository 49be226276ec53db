package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java job that fails in fnharness: the exception {@code execute()} throws has fnharness's
 * exception right below Flink's wrappers, its first line the summary, and the summary is logged at
 * ERROR before the exception leaves {@code execute()}.
 */
class JobFailureSummaryITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  private static final String LOGGER = PythonFunctions.class.getName();
  private final Capture capture = new Capture();

  @TempDir Path dir;

  @Test
  void aMisspelledFunctionIsTheFirstCauseBelowFlinksAndIsLogged() {
    Throwable failure =
        run(TestPython.config("restart-strategy.type", "none"), "test_udfs:add_onee");

    Throwable first = firstCauseBelowFlink(failure);
    assertThat(first).isInstanceOf(PythonFunctionException.class);
    assertThat(first.getMessage().lines().findFirst().orElseThrow())
        .startsWith("Cannot load Python function 'test_udfs:add_onee': ");
    assertThat(capture.events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.ERROR);
              assertThat(e.getMessage().getFormattedMessage())
                  .startsWith(
                      "fnharness: the job failed: Cannot load Python function 'test_udfs:add_onee': ")
                  .contains("did you mean 'add_one'?");
            });
  }

  @Test
  void aPythonWithoutGrpcIsTheFirstCauseWithTheFix() throws Exception {
    Path python = dir.resolve("python-without-grpc");
    Files.writeString(python, "#!/bin/sh\nexec " + TestPython.executable() + " -S \"$@\"\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));

    Throwable failure =
        run(
            TestPython.config(
                "restart-strategy.type", "none", "python.executable", python.toString()),
            "test_udfs:add_one");

    String summary = firstCauseBelowFlink(failure).getMessage().lines().findFirst().orElseThrow();
    assertThat(summary)
        .contains("cannot import grpc")
        .contains("Fix: ")
        .contains("-m pip install")
        .contains("python.executable");
    assertThat(capture.events)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage().getFormattedMessage())
                    .isEqualTo("fnharness: the job failed: " + summary));
  }

  private static Throwable run(Configuration config, String function) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(1);
    PythonFunctions.scalar(
            env.fromData(Types.ROW_NAMED(new String[] {"x"}, Types.LONG), Row.of(1L)),
            PythonScalarFunction.of(function).args("x").returns(Types.LONG).as("y"))
        .print();
    return catchThrowable(() -> env.execute("failing"));
  }

  /** What a reader of the exception meets first after "Job execution failed." and the like. */
  private static Throwable firstCauseBelowFlink(Throwable failure) {
    assertThat(failure).isNotNull();
    Throwable t = failure;
    while (t.getClass().getName().startsWith("org.apache.flink.") && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @BeforeEach
  void captureTheSummaryLogger() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    capture.start();
    context.getConfiguration().addAppender(capture);
    LoggerConfig logger = new LoggerConfig(LOGGER, Level.ALL, false);
    logger.addAppender(capture, Level.ALL, null);
    context.getConfiguration().addLogger(LOGGER, logger);
    context.updateLoggers();
  }

  @AfterEach
  void restore() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().removeLogger(LOGGER);
    context.updateLoggers();
    capture.stop();
  }

  private static final class Capture extends AbstractAppender {

    final List<LogEvent> events = new CopyOnWriteArrayList<>();

    Capture() {
      super("summary-capture", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      events.add(event.toImmutable());
    }
  }
}
