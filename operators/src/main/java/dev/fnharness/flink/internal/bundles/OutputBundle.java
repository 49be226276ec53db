package dev.fnharness.flink.internal.bundles;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.internal.state.UserStateRequests;
import dev.fnharness.harness.bundle.BundleReceiver;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.flink.annotation.Internal;

/**
 * Carries one bundle's output from gRPC threads to the task thread. Only the task thread emits rows
 * and touches Flink state; gRPC threads merely enqueue here. The queue cannot outgrow one bundle:
 * its input is bounded by the bundle size.
 *
 * <p>State requests travel the same queue, so the task thread answers them in between the bundle's
 * output chunks, never a gRPC thread (the rule in {@link UserStateRequests}).
 */
@Internal
public final class OutputBundle implements BundleReceiver {

  private static final Object COMPLETED = new Object();

  private record Failure(Throwable cause) {}

  private record StateCall(StateRequest request, Consumer<StateResponse> reply) {}

  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final Function<Throwable, RuntimeException> describeFailure;
  private final Function<StateRequest, StateResponse> stateRequests;
  private final Runnable wakeUp;
  private boolean ended;

  /**
   * @param describeFailure turns the worker's failure into the exception the task fails with
   * @param stateRequests answers a state request on the task thread, or null to refuse them
   * @param wakeUp runs on the gRPC thread after a state request was queued and once the bundle has
   *     ended, e.g. to have an idle task thread answer or emit
   */
  public OutputBundle(
      Function<Throwable, RuntimeException> describeFailure,
      Function<StateRequest, StateResponse> stateRequests,
      Runnable wakeUp) {
    this.describeFailure = describeFailure;
    this.stateRequests = stateRequests;
    this.wakeUp = wakeUp;
  }

  @Override
  public void onData(ByteString data) {
    events.add(data);
  }

  @Override
  public void onCompleted(ProcessBundleResponse response) {
    events.add(COMPLETED);
    wakeUp.run();
  }

  @Override
  public void onFailed(Throwable cause) {
    events.add(new Failure(cause));
    wakeUp.run();
  }

  @Override
  public void onStateRequest(StateRequest request, Consumer<StateResponse> reply) {
    if (stateRequests == null) {
      BundleReceiver.super.onStateRequest(request, reply);
      return;
    }
    events.add(new StateCall(request, reply));
    wakeUp.run();
  }

  /** Hands over every chunk received so far without waiting; true once the bundle has ended. */
  public boolean drainAvailable(Consumer<ByteString> chunks) {
    Object event;
    while (!ended && (event = events.poll()) != null) {
      handle(event, chunks);
    }
    return ended;
  }

  /** Hands over chunks until the bundle ends. */
  public void awaitEnd(Consumer<ByteString> chunks) throws InterruptedException {
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
    } else if (event instanceof StateCall call) {
      call.reply().accept(stateRequests.apply(call.request()));
    } else {
      chunks.accept((ByteString) event);
    }
  }
}
