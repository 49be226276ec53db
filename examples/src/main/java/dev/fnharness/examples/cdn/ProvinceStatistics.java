package dev.fnharness.examples.cdn;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Per province: access_count, total_download (bytes) and download_speed (total_download over the
 * total request time, in bytes per millisecond), as the case study's {@code GROUP BY province}.
 * Input rows are {@code (response_size, request_time, province)}; one result row per province comes
 * out when the input ends (the final watermark fires a timer at the end of time).
 */
public final class ProvinceStatistics extends KeyedProcessFunction<String, Row, Row> {

  private static final long serialVersionUID = 1L;

  public static final TypeInformation<Row> ROW_TYPE =
      Types.ROW_NAMED(
          new String[] {"province", "access_count", "total_download", "download_speed"},
          Types.STRING,
          Types.LONG,
          Types.LONG,
          Types.DOUBLE);

  /** access_count, total_download, total_request_time */
  private transient ValueState<long[]> totals;

  @Override
  public void open(OpenContext context) {
    totals =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "totals", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
  }

  @Override
  public void processElement(Row row, Context ctx, Collector<Row> out) throws Exception {
    long[] t = totals.value();
    if (t == null) {
      t = new long[3];
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }
    t[0]++;
    t[1] += (Long) row.getField(0);
    t[2] += (Long) row.getField(1);
    totals.update(t);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
    long[] t = totals.value();
    out.collect(Row.of(ctx.getCurrentKey(), t[0], t[1], t[2] == 0 ? 0.0 : (double) t[1] / t[2]));
    totals.clear();
  }
}
