package dev.fnharness.examples;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonKeyedFunction;
import dev.fnharness.flink.PythonOptions;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/**
 * Rows per second through a keyed Python function that counts each key's rows in value state
 * (counting.py), for a given number of distinct keys. Parallelism 1: one task, one worker.
 *
 * <p>Arguments: counting.py, the Python interpreter, rows, then one or more key counts. The rate is
 * measured from the first to the last output row, so worker start-up is left out.
 */
public final class KeyedStateBenchmark {

  private KeyedStateBenchmark() {}

  /** First and last output time of the running job; the MiniCluster shares this JVM. */
  static volatile long firstNanos;

  static volatile long lastNanos;

  public static void main(String[] args) throws Exception {
    Path counting = Path.of(args[0]);
    String python = args[1];
    long rows = Long.parseLong(args[2]);
    for (int i = 3; i < args.length; i++) {
      run(counting, python, rows, Long.parseLong(args[i]));
    }
  }

  private static void run(Path counting, String python, long rows, long keys) throws Exception {
    Configuration config = new Configuration();
    config.set(PythonOptions.PYTHON_FILES, counting.toAbsolutePath().toString());
    config.set(PythonOptions.PYTHON_EXECUTABLE, python);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(1);
    firstNanos = 0;

    DataStream<Row> input =
        env.fromSequence(0, rows - 1)
            .map(i -> Row.of(i % keys))
            .returns(Types.ROW_NAMED(new String[] {"k"}, Types.LONG));
    PythonFunctions.process(
            input.keyBy(row -> (Long) row.getField(0), Types.LONG),
            PythonKeyedFunction.of("counting:count")
                .returns(Types.ROW_NAMED(new String[] {"k", "n"}, Types.LONG, Types.LONG)))
        .sinkTo(new TimingSink());
    env.execute("keyed state benchmark, " + keys + " keys");

    double seconds = (lastNanos - firstNanos) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "keys=%d rows=%d seconds=%.2f rows/s=%.0f%n",
        keys,
        rows,
        seconds,
        rows / seconds);
  }

  /** Notes when the first and the last row arrive. */
  private static final class TimingSink implements Sink<Row> {
    @Override
    public SinkWriter<Row> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(Row row, Context context) {
          long now = System.nanoTime();
          if (firstNanos == 0) {
            firstNanos = now;
          }
          lastNanos = now;
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
