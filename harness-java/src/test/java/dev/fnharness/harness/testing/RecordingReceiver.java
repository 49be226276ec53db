package dev.fnharness.harness.testing;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.bundle.BundleReceiver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;

/** A BundleReceiver that records what it was told, for assertions. */
public class RecordingReceiver implements BundleReceiver {

  public final List<String> events = new CopyOnWriteArrayList<>();
  public final List<ByteString> data = new CopyOnWriteArrayList<>();
  public final CompletableFuture<ProcessBundleResponse> outcome = new CompletableFuture<>();

  @Override
  public void onData(ByteString chunk) {
    data.add(chunk);
    events.add("data:" + chunk.toStringUtf8());
  }

  @Override
  public void onCompleted(ProcessBundleResponse response) {
    events.add("completed");
    outcome.complete(response);
  }

  @Override
  public void onFailed(Throwable cause) {
    events.add("failed:" + cause.getMessage());
    outcome.completeExceptionally(cause);
  }

  /** The failure, waiting for it up to {@code timeout}; fails the test if the bundle succeeded. */
  public Throwable awaitFailure(Duration timeout) throws Exception {
    try {
      outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("bundle completed but was expected to fail: " + events);
  }
}
