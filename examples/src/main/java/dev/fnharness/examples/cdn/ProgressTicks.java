package dev.fnharness.examples.cdn;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes rows through and, every {@link #EVERY} rows, puts that count on a side output: the client
 * adds the ticks of all subtasks up to show progress while the job runs, on a MiniCluster or a
 * remote cluster alike.
 */
public final class ProgressTicks extends ProcessFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  public static final OutputTag<Long> TICKS = new OutputTag<>("progress") {};
  public static final long EVERY = 10_000;

  private transient long sinceLastTick;

  @Override
  public void processElement(Row row, Context ctx, Collector<Row> out) {
    out.collect(row);
    if (++sinceLastTick == EVERY) {
      ctx.output(TICKS, sinceLastTick);
      sinceLastTick = 0;
    }
  }
}
