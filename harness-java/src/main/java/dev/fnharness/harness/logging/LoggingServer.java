package dev.fnharness.harness.logging;

import dev.fnharness.harness.rpc.WorkerIdInterceptor;
import io.grpc.stub.StreamObserver;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.LogControl;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.LogEntry;
import org.apache.beam.model.fnexecution.v1.BeamFnLoggingGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Receives every worker's log records and passes them to a {@link LogEntrySink}. */
public final class LoggingServer extends BeamFnLoggingGrpc.BeamFnLoggingImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(LoggingServer.class);

  private final LogEntrySink sink;

  public LoggingServer(LogEntrySink sink) {
    this.sink = sink;
  }

  @Override
  public StreamObserver<LogEntry.List> logging(StreamObserver<LogControl> outbound) {
    String workerId = WorkerIdInterceptor.currentWorkerId();
    return new StreamObserver<>() {
      @Override
      public void onNext(LogEntry.List entries) {
        for (LogEntry entry : entries.getLogEntriesList()) {
          try {
            sink.accept(workerId, entry);
          } catch (RuntimeException e) {
            LOG.warn("Log sink failed on a record of worker '{}'", workerId, e);
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        // The worker died or was cut off; Control reports that with a better message.
        LOG.debug("Logging stream of worker '{}' failed", workerId, t);
      }

      @Override
      public void onCompleted() {
        outbound.onCompleted();
      }
    };
  }
}
