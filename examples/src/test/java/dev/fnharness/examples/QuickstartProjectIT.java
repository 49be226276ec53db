package dev.fnharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The quickstart project (examples/quickstart) built and run as a user would, with its own pom and
 * the README's two commands, against this build's artifacts: the build installs them into a
 * repository of this test's own (maven-invoker-plugin, pre-integration-test), and the rest comes
 * from the user's repository (a file:// repository in the settings), so nothing is downloaded
 * again.
 */
class QuickstartProjectIT {

  private static final Path SOURCE = Path.of("quickstart").toAbsolutePath();
  private static final Path WORK = Path.of("target", "quickstart-it").toAbsolutePath();
  private static final Path PROJECT = WORK.resolve("project");
  private static final Path MISSPELLED = WORK.resolve("misspelled");
  private static final Pattern ROW = Pattern.compile("(?:\\d+> )?(\\+I\\[\\d+, \\d+])$");

  @BeforeAll
  static void copyTheProject() throws IOException {
    // Copies outside the source tree, as a user would have it: no parent pom above it.
    deleteRecursively(WORK);
    copy(SOURCE, PROJECT);
    copy(SOURCE, MISSPELLED);
    Files.writeString(WORK.resolve("settings.xml"), settings(), StandardCharsets.UTF_8);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void runsLocallyWithTheReadmesCommandAndShowsPythonsOutput() throws Exception {
    Result run =
        maven(
            "compile",
            "exec:exec",
            "-Djob.args=python.executable=" + System.getProperty("fnharness.test.python"));

    assertThat(run.exitCode()).as(run.output()).isZero();
    List<String> rows = new ArrayList<>();
    for (String line : run.lines()) {
      // print() adds the subtask ("2> +I[1, 2]") when the parallelism is above one
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        rows.add(row.group(1));
      }
    }
    Collections.sort(rows);
    assertThat(rows)
        .as(run.output())
        .containsExactly("+I[1, 2]", "+I[2, 3]", "+I[3, 4]", "+I[4, 5]", "+I[5, 6]");
    // the binding works: Python's print() and logging reach the console through SLF4J 1.7
    assertThat(run.output())
        .containsPattern(
            "INFO  fnharness\\.python\\.stdout - \\[udfs\\.add_one-\\S+] udfs.py imported")
        .containsPattern(
            "INFO  fnharness\\.python\\.udfs - \\[udfs\\.add_one-\\S+] add_one got its first row")
        .doesNotContain("SLF4J: ")
        .doesNotContain("Exception")
        .doesNotContain("WARN");
  }

  @Test
  void aMisspelledFunctionFailsWithFnharnessSummaryAsTheFirstWordOfTheFailure() throws Exception {
    Path job = MISSPELLED.resolve("src/main/java/com/example/quickstart/QuickstartJob.java");
    Files.writeString(job, Files.readString(job).replace("\"udfs:add_one\"", "\"udfs:add_onne\""));

    Result run =
        maven(
            MISSPELLED,
            "compile",
            "exec:exec",
            "-Djob.args=python.executable=" + System.getProperty("fnharness.test.python"));

    assertThat(run.exitCode()).isNotZero();
    List<String> lines = run.lines();
    int summary = indexOf(lines, "fnharness: the job failed: ");
    assertThat(summary).as(run.output()).isNotNegative();
    assertThat(lines.get(summary))
        .contains("ERROR dev.fnharness.flink.PythonFunctions - fnharness: the job failed:")
        .contains("Cannot load Python function 'udfs:add_onne'")
        .contains("did you mean 'add_one'?");
    // nothing before it speaks of the failure: the summary is the first thing to read
    assertThat(lines.subList(0, summary))
        .as(run.output())
        .noneMatch(line -> line.contains("Cannot load") || line.contains("Exception"))
        .noneMatch(line -> line.contains("WARN") || line.contains("ERROR"));
    // (by position in the output: exec:exec pumps the job's stdout and stderr apart)
    assertThat(run.output().indexOf("Exception in thread \"main\""))
        .isGreaterThan(run.output().indexOf("fnharness: the job failed: "));
  }

  @Test
  void packageBuildsAJobJarWithFnharnessButWithoutFlinkOrLogging() throws Exception {
    Result build = maven("package");

    assertThat(build.exitCode()).as(build.output()).isZero();
    Path jar = PROJECT.resolve("target/fnharness-quickstart-1.0.jar");
    try (JarFile job = new JarFile(jar.toFile())) {
      List<String> names = job.stream().map(ZipEntry::getName).toList();
      assertThat(names)
          .contains(
              "com/example/quickstart/QuickstartJob.class",
              "dev/fnharness/flink/PythonFunctions.class",
              "fnharness/fnharness-worker.zip",
              "META-INF/services/io.grpc.NameResolverProvider")
          .anyMatch(name -> name.startsWith("io/grpc/netty/shaded/"))
          .noneMatch(name -> name.startsWith("org/apache/flink/"))
          .noneMatch(name -> name.startsWith("org/slf4j/"))
          .noneMatch(name -> name.startsWith("org/apache/logging/"));
      assertThat(job.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("com.example.quickstart.QuickstartJob");
    }
  }

  @Test
  void dependsOnThisBuildsFnharnessAndFlinkVersions() throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(SOURCE.resolve("pom.xml").toFile());
    assertThat(property(pom, "fnharness.version"))
        .as("examples/quickstart/pom.xml follows the project version")
        .isEqualTo(System.getProperty("fnharness.version"));
    assertThat(property(pom, "flink.version"))
        .as("examples/quickstart/pom.xml follows the Flink version")
        .isEqualTo(System.getProperty("fnharness.flink.version"));
  }

  private static String property(Document pom, String name) {
    return pom.getElementsByTagName(name).item(0).getTextContent().trim();
  }

  /** The user's repository as a file:// repository: this build resolved everything into it. */
  private static String settings() {
    String url = Path.of(System.getProperty("fnharness.user.repository")).toUri().toString();
    String repository =
        "<id>user-repository</id><url>"
            + url
            + "</url><releases><checksumPolicy>ignore</checksumPolicy></releases>"
            + "<snapshots><enabled>false</enabled></snapshots>";
    return "<settings><profiles><profile><id>user-repository</id>"
        + "<repositories><repository>"
        + repository
        + "</repository></repositories>"
        + "<pluginRepositories><pluginRepository>"
        + repository
        + "</pluginRepository></pluginRepositories>"
        + "</profile></profiles>"
        + "<activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>"
        + "</settings>";
  }

  private record Result(int exitCode, String output) {
    List<String> lines() {
      return output.lines().toList();
    }
  }

  private static Result maven(String... goals) throws Exception {
    return maven(PROJECT, goals);
  }

  private static Result maven(Path project, String... goals) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("fnharness.maven.home"), "bin", "mvn").toString());
    command.addAll(
        List.of(
            "-B",
            "-q",
            "-s",
            WORK.resolve("settings.xml").toString(),
            "-Dmaven.repo.local=" + System.getProperty("fnharness.quickstart.repository")));
    command.addAll(List.of(goals));
    Path log = Files.createTempFile(WORK, "mvn-", ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "mvn "
              + String.join(" ", goals)
              + " did not finish in 5 minutes:\n"
              + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
