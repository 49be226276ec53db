package dev.fnharness.flink.internal;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.BundleReceiver;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;

/**
 * Carries one bundle's output from gRPC threads to the task thread. Only the task thread emits
 * rows and touches Flink state; gRPC threads merely enqueue here. The queue cannot outgrow one
 * bundle: its input is bounded by the bundle size.
 */
final class OutputBundle implements BundleReceiver {

  private static final Object COMPLETED = new Object();

  private record Failure(Throwable cause) {}

  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final Function<Throwable, RuntimeException> describeFailure;
  private boolean ended;

  /** @param describeFailure turns the worker's failure into the exception the task fails with */
  OutputBundle(Function<Throwable, RuntimeException> describeFailure) {
    this.describeFailure = describeFailure;
  }

  @Override
  public void onData(ByteString data) {
    events.add(data);
  }

  @Override
  public void onCompleted(ProcessBundleResponse response) {
    events.add(COMPLETED);
  }

  @Override
  public void onFailed(Throwable cause) {
    events.add(new Failure(cause));
  }

  /** Hands over every chunk received so far without waiting; true once the bundle has ended. */
  boolean drainAvailable(Consumer<ByteString> chunks) {
    Object event;
    while (!ended && (event = events.poll()) != null) {
      handle(event, chunks);
    }
    return ended;
  }

  /** Hands over chunks until the bundle ends. */
  void awaitEnd(Consumer<ByteString> chunks) throws InterruptedException {
    while (!ended) {
      Object event = events.poll(100, TimeUnit.MILLISECONDS);
      if (event != null) {
        handle(event, chunks);
      }
    }
  }

  private void handle(Object event, Consumer<ByteString> chunks) {
    if (event == COMPLETED) {
      ended = true;
    } else if (event instanceof Failure failure) {
      ended = true;
      throw describeFailure.apply(failure.cause());
    } else {
      chunks.accept((ByteString) event);
    }
  }
}
