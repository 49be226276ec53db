package dev.fnharness.harness.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class WorkerPackageTest {

  @TempDir Path tmp;

  @Test
  void unpacksIntoADirectoryNamedByContentAndReusesIt() throws IOException {
    byte[] zip = zip("pkg/__init__.py", "x = 1\n");

    Path first = WorkerPackage.unpack(zip, tmp);
    Path second = WorkerPackage.unpack(zip, tmp);

    assertThat(first).isEqualTo(second);
    assertThat(first.getFileName().toString()).startsWith("fnharness-worker-");
    assertThat(first.resolve("pkg/__init__.py")).hasContent("x = 1");
    assertThat(WorkerPackage.unpack(zip("pkg/__init__.py", "x = 2\n"), tmp)).isNotEqualTo(first);
  }

  @Test
  void racingUnpackersAgreeOnOneCompleteDirectory() throws Exception {
    byte[] zip = zip("pkg/__init__.py", "x = 1\n");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit((Callable<Path>) () -> WorkerPackage.unpack(zip, tmp)));
      }
      Path expected = results.get(0).get();
      for (Future<Path> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
      assertThat(expected.resolve("pkg/__init__.py")).hasContent("x = 1");
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).hasSize(1); // no staging directories left behind
    }
  }

  @Test
  void theRealPackageHoldsTheWorkerModule() {
    Path dir = WorkerPackage.directory();
    assertThat(dir.resolve("fnharness_worker/__init__.py")).exists();
    assertThat(WorkerPackage.directory()).isSameAs(dir);
  }

  private static byte[] zip(String name, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("pkg/"));
      out.closeEntry();
      out.putNextEntry(new ZipEntry(name));
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return bytes.toByteArray();
  }
}
