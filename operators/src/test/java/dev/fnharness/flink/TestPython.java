package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/** The interpreter and UDF file the operator tests use. */
public final class TestPython {

  private TestPython() {}

  /** Set by surefire from the build's {@code python.executable} property. */
  public static String executable() {
    return System.getProperty("fnharness.test.python", "python3");
  }

  public static Path udfFile() {
    try {
      return Path.of(TestPython.class.getResource("/udfs/test_udfs.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A configuration that runs {@code test_udfs} with the test interpreter, plus overrides. */
  public static Configuration config(String... keyValues) {
    Map<String, String> settings = new HashMap<>();
    settings.put(PythonOptions.PYTHON_EXECUTABLE.key(), executable());
    settings.put(PythonOptions.PYTHON_FILES.key(), udfFile().toString());
    settings.put(PythonOptions.WORKER_STARTUP_TIMEOUT.key(), "20 s");
    for (int i = 0; i < keyValues.length; i += 2) {
      settings.put(keyValues[i], keyValues[i + 1]);
    }
    return Configuration.fromMap(settings);
  }

  /**
   * Python workers still running below this JVM, after waiting up to 5 s for them to exit: for
   * checks that no job leaves one behind.
   */
  public static List<String> workersStillRunning() throws InterruptedException {
    List<String> left = List.of();
    for (int attempt = 0; attempt < 50; attempt++) {
      left =
          ProcessHandle.current()
              .descendants()
              .filter(ProcessHandle::isAlive)
              .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
              .filter(cmd -> cmd.contains("fnharness_worker"))
              .collect(Collectors.toList());
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    return left;
  }

  /** Fails if a Python worker started by this JVM is still running (waits up to 5 s for exits). */
  public static void assertNoWorkerLeft() throws InterruptedException {
    assertThat(workersStillRunning())
        .as("Python workers still running after their jobs ended")
        .isEmpty();
  }
}
