package dev.fnharness.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The jar a remote cluster receives with the job: the one this class was loaded from, which {@code
 * package} builds as cli/target/fnharness-job.jar (our code, gRPC, protobuf, the worker).
 */
final class JobJar {

  private JobJar() {}

  static String location() throws URISyntaxException {
    Path self = Path.of(JobJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!Files.isRegularFile(self) || !self.toString().endsWith(".jar")) {
      throw new IllegalArgumentException(
          "--jobmanager sends fnharness's jar with the job, but fnharness runs from "
              + self
              + ", not a jar: use bin/fnharness, which runs cli/target/fnharness-job.jar");
    }
    return self.toString();
  }
}
