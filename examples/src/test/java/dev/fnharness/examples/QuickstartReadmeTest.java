package dev.fnharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's quickstart is the quickstart project: it quotes the project's files as they are. */
class QuickstartReadmeTest {

  private static final Path QUICKSTART = Path.of("quickstart");

  @Test
  void theReadmeQuotesTheJobAndItsPythonVerbatim() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String job =
        Files.readString(
            QUICKSTART.resolve("src/main/java/com/example/quickstart/QuickstartJob.java"));
    String udfs = Files.readString(QUICKSTART.resolve("udfs.py"));

    assertThat(readme)
        .as("README.md, \"Quickstart for Flink Java users\", quotes QuickstartJob.java")
        .contains("```java\n" + job + "```\n");
    assertThat(readme)
        .as("README.md, \"Quickstart for Flink Java users\", quotes udfs.py")
        .contains("```python\n" + udfs + "```\n");
  }
}
