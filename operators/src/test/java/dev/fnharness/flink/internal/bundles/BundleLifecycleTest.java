package dev.fnharness.flink.internal.bundles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.testing.FakeWorker;
import dev.fnharness.harness.testing.FakeWorker.Delivery;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BundleLifecycle} against a {@link FakeWorker} that echoes each input batch: bundle order
 * with bundles in flight, the in-flight bound, bundle.time, drains, and failures mid-bundle.
 */
@Timeout(60)
class BundleLifecycleTest {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger bundleTimeouts = new AtomicInteger();
  private final TestProcessingTimeService time = new TestProcessingTimeService();
  private FakeWorker worker;
  private BundleLifecycle<Integer> bundles;

  /** Answers every batch with itself; a batch "boom" fails the bundle as Python would. */
  private static FakeWorker.Processor echo() {
    return input -> {
      if (input.toStringUtf8().equals("boom")) {
        throw new IllegalStateException("Python function 'm:f' failed on row 0 of the batch");
      }
      return List.of(input);
    };
  }

  private void start(Delivery delivery, int maxInFlight, int bundleSize, long bundleTimeMillis) {
    worker = new FakeWorker("fake", delivery, BundleLifecycleTest::echo);
    bundles =
        new BundleLifecycle<>(
            receiver -> worker.startBundle("d", "fn", receiver),
            time,
            () ->
                new OutputBundle(
                    cause -> new IllegalStateException("failed: " + cause.getMessage(), cause),
                    null,
                    () -> {}),
            new Recorder(),
            () -> {
              bundleTimeouts.incrementAndGet();
              bundles.close();
            },
            maxInFlight,
            bundleSize,
            bundleTimeMillis);
  }

  @AfterEach
  void closeWorker() {
    if (worker != null) {
      worker.close();
    }
  }

  /** What an operator does per event: open or drain, send the event as a batch, close if full. */
  private void add(String batch) throws Exception {
    bundles.openOrDrain();
    bundles.send(ByteString.copyFromUtf8(batch));
    if (bundles.fullAfterOneMoreEvent()) {
      bundles.close();
    }
  }

  private final class Recorder implements BundleLifecycle.Handler<Integer> {
    private int opened;

    @Override
    public Integer opened() {
      events.add("opened " + ++opened);
      return opened;
    }

    @Override
    public void sendLastBatch() {}

    @Override
    public void emit(Integer bundle, ByteString chunk) {
      events.add("emit " + bundle + ":" + chunk.toStringUtf8());
    }

    @Override
    public void ended(Integer bundle) {
      events.add("ended " + bundle);
    }
  }

  @Test
  void outputComesOutInBundleOrderWhileTheNextBundleFills() throws Exception {
    start(Delivery.HELD, 2, 2, 60_000);
    add("1a");
    add("1b"); // bundle 1 is full: closed, its output still held by the worker
    add("2a"); // bundle 2 opens without waiting
    assertThat(events).containsExactly("opened 1", "opened 2");

    worker.releaseAll();
    bundles.drain();

    assertThat(events)
        .containsExactly("opened 1", "opened 2", "emit 1:1a", "emit 1:1b", "ended 1", "emit 2:2a");
    assertThat(bundles.isIdle()).isFalse();
  }

  @Test
  void openingOneBundleMoreThanMaxInFlightWaitsForTheOldestToEnd() throws Exception {
    start(Delivery.HELD, 2, 1, 60_000);
    add("a");
    add("b");
    assertThat(events).containsExactly("opened 1", "opened 2");

    add("c"); // two bundles in flight: the third waits for the first, whatever the worker holds

    assertThat(events).containsSubsequence("emit 1:a", "ended 1", "opened 3");
    assertThat(events).doesNotContain("ended 2");
  }

  @Test
  void finishWaitsForEveryBundleAndSaysWhetherAnyWasInFlight() throws Exception {
    start(Delivery.HELD, 3, 2, 60_000);
    assertThat(bundles.finish()).isFalse();
    add("a");
    add("b");
    add("c");

    assertThat(bundles.finish()).isTrue();

    assertThat(events)
        .containsExactly(
            "opened 1", "opened 2", "emit 1:a", "emit 1:b", "ended 1", "emit 2:c", "ended 2");
    assertThat(bundles.isIdle()).isTrue();
    assertThat(worker.held()).isZero();
  }

  @Test
  void bundleTimeIsDueOnlyForTheBundleItWasSetFor() throws Exception {
    start(Delivery.LIVE, 2, 100, 100);
    time.setCurrentTime(0);
    add("a"); // bundle 1, due at 100
    time.setCurrentTime(50);
    bundles.finish();
    add("b"); // bundle 2, due at 150

    time.setCurrentTime(100);
    assertThat(bundleTimeouts).as("bundle 1 has ended; its timer is stale").hasValue(0);
    time.setCurrentTime(150);
    assertThat(bundleTimeouts).hasValue(1);
    bundles.finish();
    assertThat(events).containsSubsequence("opened 2", "emit 2:b", "ended 2");
  }

  @Test
  void aFailureMidBundleFailsOnceAndLeavesNothingToWaitFor() throws Exception {
    start(Delivery.HELD, 2, 10, 60_000);
    add("ok");
    add("boom");
    add("dropped");

    assertThatThrownBy(() -> bundles.finish())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed: Python function 'm:f' failed on row 0 of the batch");

    assertThat(events).containsExactly("opened 1", "emit 1:ok");
    assertThat(bundles.isIdle()).isTrue();
    assertThat(bundles.finish()).as("the failed bundle is not waited for again").isFalse();
  }

  @Test
  void aWorkerThatDiesWhileTheTaskWaitsFailsTheWait() throws Exception {
    start(Delivery.MANUAL, 2, 1, 60_000);
    add("a");
    Thread killer =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
              worker.crash("exited unexpectedly with exit code 137");
            });
    killer.start();

    assertThatThrownBy(() -> bundles.finish())
        .hasMessageContaining(
            "failed: Python worker 'fake' exited unexpectedly with exit code 137");
    killer.join();
    assertThat(events).containsExactly("opened 1");
  }
}
