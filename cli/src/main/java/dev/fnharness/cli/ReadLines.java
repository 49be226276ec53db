package dev.fnharness.cli;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.util.Collector;

/**
 * Reads the input file, one record per line, numbered from 1. Runs once, at parallelism 1, so the
 * numbers are the file's; the lines are parsed in parallel downstream. Blank lines and a header
 * line are skipped.
 */
final class ReadLines extends RichFlatMapFunction<String, Tuple2<Long, String>> {

  private static final long serialVersionUID = 1L;

  private final InputFile input;
  private final LineParser parser;

  ReadLines(InputFile input, LineParser parser) {
    this.input = input;
    this.parser = parser;
  }

  @Override
  public void flatMap(String ignored, Collector<Tuple2<Long, String>> out) throws Exception {
    try (BufferedReader reader =
        Files.newBufferedReader(input.open(getRuntimeContext()), StandardCharsets.UTF_8)) {
      long number = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        number++;
        if (line.isBlank() || (number == 1 && parser.isHeader(line))) {
          continue;
        }
        out.collect(Tuple2.of(number, line));
      }
    }
  }
}
