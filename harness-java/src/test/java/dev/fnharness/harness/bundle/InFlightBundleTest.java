package dev.fnharness.harness.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.PythonWorkerException;
import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.testing.RecordingReceiver;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;
import org.junit.jupiter.api.Test;

public class InFlightBundleTest {

  private final RecordingReceiver receiver = new RecordingReceiver();
  private final AtomicInteger terminations = new AtomicInteger();
  private final InFlightBundle bundle =
      new InFlightBundle("bundle-1", receiver, terminations::incrementAndGet);

  @Test
  void completesOnlyWhenBothLastOutputAndResponseArrived_responseFirst() {
    bundle.onData(ByteString.copyFromUtf8("a"));
    bundle.onResponse(ProcessBundleResponse.getDefaultInstance());
    assertThat(receiver.events).containsExactly("data:a");

    bundle.onLastOutput();
    assertThat(receiver.events).containsExactly("data:a", "completed");
    assertThat(terminations).hasValue(1);
  }

  @Test
  void completesOnlyWhenBothLastOutputAndResponseArrived_lastOutputFirst() {
    bundle.onLastOutput();
    assertThat(receiver.events).isEmpty();
    bundle.onResponse(ProcessBundleResponse.getDefaultInstance());
    assertThat(receiver.events).containsExactly("completed");
  }

  @Test
  void failureEndsTheBundleOnceAndLaterEventsAreIgnored() {
    bundle.onData(ByteString.copyFromUtf8("a"));
    bundle.fail(new PythonWorkerException("boom"));
    bundle.fail(new WorkerCrashedException("dead"));
    bundle.onData(ByteString.copyFromUtf8("b"));
    bundle.onLastOutput();
    bundle.onResponse(ProcessBundleResponse.getDefaultInstance());

    assertThat(receiver.events).containsExactly("data:a", "failed:boom");
    assertThat(terminations).hasValue(1);
    assertThat(bundle.isTerminated()).isTrue();
  }

  @Test
  void failureAfterCompletionIsIgnored() {
    bundle.onLastOutput();
    bundle.onResponse(ProcessBundleResponse.getDefaultInstance());
    bundle.fail(new WorkerCrashedException("dead"));
    assertThat(receiver.events).containsExactly("completed");
    assertThat(terminations).hasValue(1);
  }

  @Test
  void aReceiverThatThrowsOnDataFailsTheBundle() {
    InFlightBundle throwing =
        new InFlightBundle(
            "bundle-2",
            new RecordingReceiver() {
              @Override
              public void onData(ByteString data) {
                throw new IllegalStateException("queue closed");
              }
            },
            () -> {});
    throwing.onData(ByteString.copyFromUtf8("a"));
    assertThat(throwing.isTerminated()).isTrue();
  }
}
