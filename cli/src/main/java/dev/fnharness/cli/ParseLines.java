package dev.fnharness.cli;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Numbered records to rows of the schema. A record that does not parse fails the job naming file,
 * line and field, or, with a reject file, goes to {@link Rejected#TAG}.
 */
final class ParseLines extends ProcessFunction<Tuple2<Long, String>, Row> {

  private static final long serialVersionUID = 1L;

  private final LineParser parser;
  private final String file;
  private final boolean reject;

  ParseLines(LineParser parser, String file, boolean reject) {
    this.parser = parser;
    this.file = file;
    this.reject = reject;
  }

  @Override
  public void processElement(Tuple2<Long, String> line, Context ctx, Collector<Row> out) {
    try {
      out.collect(parser.parse(line.f1));
    } catch (BadLineException e) {
      if (!reject) {
        throw new InputLineException(file, line.f0, e.getMessage());
      }
      ctx.output(Rejected.TAG, Tuple3.of(line.f0, ReadLines.verbatim(line.f1), e.getMessage()));
    }
  }
}
