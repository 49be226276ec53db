package dev.fnharness.flink.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ShippedPythonFilesTest {

  @Test
  void everyEntryIsRegisteredOncePerJob(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("udfs.py"), "");
    Path pkg = Files.createDirectory(dir.resolve("pkg"));
    StreamExecutionEnvironment env = clusterEnvironment();

    ShippedPythonFiles first =
        ShippedPythonFiles.register(env, List.of(file.toString(), pkg.toString()));
    ShippedPythonFiles second = ShippedPythonFiles.register(env, List.of(file.toString()));

    assertThat(first.cacheNames())
        .hasSize(2)
        .allMatch(n -> n.startsWith("fnharness-python-files-"));
    assertThat(first.cacheNames().get(0)).endsWith("-udfs.py");
    assertThat(second.cacheNames()).containsExactly(first.cacheNames().get(0));
    assertThat(env.getCachedFiles())
        .extracting(t -> t.f0)
        .containsExactlyElementsOf(first.cacheNames());
    assertThat(env.getCachedFiles())
        .extracting(t -> t.f1.filePath)
        .containsExactly(file.toString(), pkg.toString());
  }

  @Test
  void aLocalRunUsesTheFilesWhereTheyAreAndCachesNothing(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("udfs.py"), "");
    // what getExecutionEnvironment() gives a main() outside a cluster
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();

    ShippedPythonFiles shipped = ShippedPythonFiles.register(env, List.of(file.toString()));

    assertThat(shipped.isEmpty()).isTrue();
    assertThat(env.getCachedFiles()).isEmpty();
  }

  @Test
  void aMissingEntryIsNamed(@TempDir Path dir) {
    String missing = dir.resolve("nope.py").toString();
    for (StreamExecutionEnvironment env :
        List.of(clusterEnvironment(), StreamExecutionEnvironment.createLocalEnvironment())) {
      assertThatThrownBy(() -> ShippedPythonFiles.register(env, List.of(missing)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("python.files entry '" + missing + "' does not exist");
    }
  }

  /** A job for a cluster (execution.target: remote); nothing connects until it is executed. */
  private static StreamExecutionEnvironment clusterEnvironment() {
    return StreamExecutionEnvironment.createRemoteEnvironment("localhost", 8081);
  }
}
