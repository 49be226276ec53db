package dev.fnharness.harness.logging;

import org.apache.beam.model.fnexecution.v1.BeamFnApi.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs worker records through SLF4J, one logger per Python logger name, so users configure Python
 * log output in their usual log4j/logback setup (e.g. {@code fnharness.python.mymodule=DEBUG}).
 */
public final class Slf4jLogEntrySink implements LogEntrySink {

  static final Slf4jLogEntrySink INSTANCE = new Slf4jLogEntrySink();

  static final String LOGGER_PREFIX = "fnharness.python";

  private Slf4jLogEntrySink() {}

  @Override
  public void accept(String workerId, LogEntry entry) {
    String location = entry.getLogLocation();
    Logger logger =
        LoggerFactory.getLogger(
            location.isEmpty() ? LOGGER_PREFIX : LOGGER_PREFIX + "." + location);
    String message = "[" + workerId + "] " + entry.getMessage();
    if (!entry.getTrace().isEmpty()) {
      message = message + "\n" + entry.getTrace();
    }
    switch (entry.getSeverity()) {
      case TRACE -> logger.trace(message);
      case DEBUG -> logger.debug(message);
      case WARN -> logger.warn(message);
      case ERROR, CRITICAL -> logger.error(message);
      default -> logger.info(message); // INFO, NOTICE, UNSPECIFIED
    }
  }
}
