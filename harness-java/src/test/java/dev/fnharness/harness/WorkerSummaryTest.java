package dev.fnharness.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerSummaryTest {

  @Test
  void theWorkersOwnLineFollowsWhatHappened() {
    String output =
        "starting\n"
            + "fnharness worker: /usr/bin/python3 cannot import grpc (No module named 'grpc')."
            + " Fix: /usr/bin/python3 -m pip install grpcio.\n"
            + "(On Debian/Ubuntu also: apt-get install python3-grpcio python3-protobuf.)\n";

    assertThat(WorkerSummary.appendedTo("exited during start-up with exit code 2", output))
        .isEqualTo(
            "exited during start-up with exit code 2: /usr/bin/python3 cannot import grpc (No"
                + " module named 'grpc'). Fix: /usr/bin/python3 -m pip install grpcio");
  }

  @Test
  void aWorkerIdAndTheStartUpFailedPrefixAreNotRepeated() {
    String output =
        "fnharness worker udfs.f-0-1a2b: start-up failed: GetProvisionInfo at 127.0.0.1:1 failed\n";

    assertThat(WorkerSummary.appendedTo("exited during start-up with exit code 1", output))
        .isEqualTo(
            "exited during start-up with exit code 1: GetProvisionInfo at 127.0.0.1:1 failed");
  }

  @Test
  void withoutASummaryLineNothingIsAdded() {
    assertThat(
            WorkerSummary.appendedTo(
                "did not connect", "Traceback ...\nfnharness worker pool listening on x:1\n"))
        .isEqualTo("did not connect");
    assertThat(WorkerSummary.appendedTo("did not connect", null)).isEqualTo("did not connect");
  }
}
