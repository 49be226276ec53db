package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fnharness run --jobmanager} against a real standalone cluster: a JobManager and two
 * TaskManagers as separate JVMs whose classpath holds Flink alone. The job jar (our operators,
 * harness, protos, gRPC and the Python worker) and the user's Python files reach the TaskManagers
 * only with the job. Runs after {@code package}, which builds the job jar.
 */
class StandaloneClusterIT {

  private static final Path CDN_UDFS =
      Path.of("../examples/src/main/python/cdn").toAbsolutePath().normalize();
  private static final int ROWS = 2_000;

  @TempDir Path dir;

  @Test
  void pythonUdfsRunOnTwoTaskManagersWithTheirFilesShippedWithTheJob() throws Exception {
    Path jobJar = Path.of(System.getProperty("fnharness.job.jar"));
    String flinkClasspath =
        Files.readString(Path.of(System.getProperty("fnharness.flink.classpath"))).trim();
    assertThat(jobJar).isRegularFile();
    assertThat(flinkClasspath.split(":"))
        .as("the cluster's classpath holds Flink, not our code, gRPC or protobuf")
        .noneMatch(
            entry ->
                entry.contains("fnharness")
                    || entry.contains("/io/grpc/")
                    || entry.contains("/com/google/protobuf/"));

    Path probeDir = resource("/cluster_probe");
    Path singleFile = resource("/udfs/cli_udfs.py");
    Map<Long, String> expectedProvince = new HashMap<>();
    Path input = writeInput(expectedProvince);
    Path output = dir.resolve("out.csv");

    try (StandaloneCluster cluster =
        StandaloneCluster.start(dir.resolve("cluster"), flinkClasspath, 2)) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  flinkClasspath + ":" + jobJar,
                  "dev.fnharness.cli.Main",
                  "run",
                  "--jobmanager",
                  "localhost:" + cluster.restPort(),
                  "--parallelism",
                  "4",
                  "--python",
                  System.getProperty("fnharness.test.python", "python3"),
                  "--input",
                  input.toString(),
                  "--schema",
                  "id BIGINT, ip STRING",
                  "--python-files",
                  CDN_UDFS + "," + probeDir + "," + singleFile,
                  "--udf",
                  "cdn_udf:ip_to_province(ip) AS province STRING",
                  "--udf",
                  "probe:module_file(id) AS module_file STRING",
                  "--udf",
                  "cli_udfs:add(id, id) AS doubled BIGINT",
                  "--output",
                  output.toString()));
      Path log = dir.resolve("client.log");
      Process client =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        boolean done = client.waitFor(240, TimeUnit.SECONDS);
        assertThat(done).as("the client finished in time:\n%s", Files.readString(log)).isTrue();
      } finally {
        client.destroyForcibly();
      }
      String clientLog = Files.readString(log);
      assertThat(client.exitValue())
          .as(
              "client:\n%s\n%s\n%s",
              clientLog, cluster.tail("taskmanager-1"), cluster.tail("taskmanager-2"))
          .isZero();

      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      assertThat(lines.get(0)).isEqualTo("id,ip,province,module_file,doubled");
      assertThat(lines).hasSize(ROWS + 1);
      Set<Long> ids = new HashSet<>();
      Set<Integer> taskManagers = new HashSet<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        long id = Long.parseLong(f[0]);
        ids.add(id);
        assertThat(f[2]).as("province of %s", f[1]).isEqualTo(expectedProvince.get(id));
        assertThat(Long.parseLong(f[4])).isEqualTo(2 * id);
        String moduleFile = f[3];
        assertThat(moduleFile)
            .as("the probe module was imported from a TaskManager's file cache")
            .contains("/flink-dist-cache-")
            .endsWith("/cluster_probe/probe.py")
            .doesNotStartWith(probeDir.toRealPath().toString());
        for (int tm = 1; tm <= 2; tm++) {
          if (moduleFile.startsWith(cluster.taskManagerTmp(tm).toRealPath().toString())) {
            taskManagers.add(tm);
          }
        }
      }
      assertThat(ids).hasSize(ROWS);
      assertThat(taskManagers)
          .as("parallelism 4 over 2 TaskManagers with 2 slots each")
          .containsExactlyInAnyOrder(1, 2);
      assertThat(awaitNoTaskManagerChildren(cluster)).as("Python workers left behind").isEmpty();
    }
  }

  /** id and an address from each range of the table (and some outside it), with its province. */
  private Path writeInput(Map<Long, String> expected) throws Exception {
    List<String> ranges = Files.readAllLines(CDN_UDFS.resolve("ip_ranges.csv"));
    List<String> lines = new ArrayList<>(List.of("id,ip"));
    for (long id = 0; id < ROWS; id++) {
      String[] range = ranges.get(1 + (int) (id % (ranges.size() - 1))).split(",");
      boolean outside = id % 97 == 0;
      String ip = outside ? "10.1.2." + (id % 256) : range[0];
      expected.put(id, outside ? "unknown" : range[2]);
      lines.add(id + "," + ip);
    }
    return Files.write(dir.resolve("ips.csv"), lines);
  }

  private static List<String> awaitNoTaskManagerChildren(StandaloneCluster cluster)
      throws InterruptedException {
    List<String> left = cluster.taskManagerChildren();
    for (int attempt = 0; attempt < 100 && !left.isEmpty(); attempt++) {
      Thread.sleep(100);
      left = cluster.taskManagerChildren();
    }
    return left;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(StandaloneClusterIT.class.getResource(name).toURI());
  }
}
