package dev.fnharness.harness.logging;

import org.apache.beam.model.fnexecution.v1.BeamFnApi.LogEntry;

/**
 * Where the log records a worker streams on its Logging stream go. Called on gRPC threads, in the
 * order each worker sent them.
 */
@FunctionalInterface
public interface LogEntrySink {

  void accept(String workerId, LogEntry entry);

  /** The default: SLF4J logger {@code fnharness.python.<python logger name>}. */
  static LogEntrySink slf4j() {
    return Slf4jLogEntrySink.INSTANCE;
  }
}
