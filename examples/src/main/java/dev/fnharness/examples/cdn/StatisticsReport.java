package dev.fnharness.examples.cdn;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.flink.types.Row;

/** The statistics per province, busiest first: as a table on the console and as CSV. */
final class StatisticsReport {

  private final List<Row> rows;

  StatisticsReport(List<Row> statistics) {
    rows = new ArrayList<>(statistics);
    rows.sort(
        Comparator.comparing((Row r) -> (Long) r.getField(1))
            .reversed()
            .thenComparing(r -> (String) r.getField(0)));
  }

  void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-16s %12s %20s %22s%n",
        "province",
        "access_count",
        "total_download",
        "download_speed (B/ms)");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%-16s %,12d %,20d %,22.1f%n",
          r.getField(0),
          r.getField(1),
          r.getField(2),
          r.getField(3));
    }
  }

  void writeCsv(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("province,access_count,total_download,download_speed");
    for (Row r : rows) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%s,%d,%d,%.3f",
              r.getField(0),
              r.getField(1),
              r.getField(2),
              r.getField(3)));
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
