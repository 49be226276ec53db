package dev.fnharness.harness.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.LogEntry;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SLF4J path end to end into log4j2, the backend Flink uses. */
public class Slf4jLogEntrySinkTest {

  private final CapturingAppender appender = new CapturingAppender();

  @BeforeEach
  void captureFnharnessPythonLoggers() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender.start();
    config.addAppender(appender);
    LoggerConfig loggerConfig = new LoggerConfig("fnharness.python", Level.ALL, false);
    loggerConfig.addAppender(appender, Level.ALL, null);
    config.addLogger("fnharness.python", loggerConfig);
    context.updateLoggers();
  }

  @AfterEach
  void restore() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().removeLogger("fnharness.python");
    context.updateLoggers();
    appender.stop();
  }

  @Test
  void logsUnderThePythonLoggerNameWithWorkerIdAndMappedLevel() {
    LogEntrySink sink = LogEntrySink.slf4j();
    sink.accept(
        "w1",
        LogEntry.newBuilder()
            .setSeverity(LogEntry.Severity.Enum.WARN)
            .setLogLocation("my.module")
            .setMessage("careful")
            .build());
    sink.accept(
        "w1",
        LogEntry.newBuilder()
            .setSeverity(LogEntry.Severity.Enum.CRITICAL)
            .setMessage("bad")
            .setTrace("Traceback (most recent call last):\n  ...")
            .build());
    sink.accept(
        "w2",
        LogEntry.newBuilder()
            .setSeverity(LogEntry.Severity.Enum.DEBUG)
            .setLogLocation("stdout")
            .setMessage("printed")
            .build());

    assertThat(appender.events).hasSize(3);
    LogEvent warn = appender.events.get(0);
    assertThat(warn.getLoggerName()).isEqualTo("fnharness.python.my.module");
    assertThat(warn.getLevel()).isEqualTo(Level.WARN);
    assertThat(warn.getMessage().getFormattedMessage()).isEqualTo("[w1] careful");

    LogEvent critical = appender.events.get(1);
    assertThat(critical.getLoggerName()).isEqualTo("fnharness.python");
    assertThat(critical.getLevel()).isEqualTo(Level.ERROR);
    assertThat(critical.getMessage().getFormattedMessage())
        .isEqualTo("[w1] bad\nTraceback (most recent call last):\n  ...");

    LogEvent debug = appender.events.get(2);
    assertThat(debug.getLoggerName()).isEqualTo("fnharness.python.stdout");
    assertThat(debug.getLevel()).isEqualTo(Level.DEBUG);
  }

  private static final class CapturingAppender extends AbstractAppender {

    final List<LogEvent> events = new CopyOnWriteArrayList<>();

    CapturingAppender() {
      super("capture", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      events.add(event.toImmutable());
    }
  }
}
