package dev.fnharness.benchmarks;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.codec.RowBatchEncoder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.types.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Where the mixed-schema encode time goes: the same 1,000 MIXED rows as {@link
 * SerializationBenchmark}, encoded with only some of their columns (the encoder picks fields by
 * position), so the difference between two subsets is what those columns cost per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EncodeBreakdownBenchmark {

  /** Field positions of {@link BenchmarkSchema#MIXED}: BIGINT, DOUBLE, STRING, BOOLEAN, INT. */
  @Param({"0", "1", "2", "3", "4", "0,1,3,4", "0,1,2,3,4"})
  public String columns;

  Row[] rows;
  RowBatchEncoder encoder;

  @Setup
  public void setUp() {
    rows = BenchmarkSchema.MIXED.rows(SerializationBenchmark.ROWS, 42);
    int[] positions = Arrays.stream(columns.split(",")).mapToInt(Integer::parseInt).toArray();
    List<ColumnType> all = BenchmarkSchema.MIXED.columnTypes();
    encoder = new RowBatchEncoder(positions, Arrays.stream(positions).mapToObj(all::get).toList());
  }

  @Benchmark
  public ByteString encode() {
    for (Row row : rows) {
      encoder.add(row);
    }
    return encoder.finish();
  }
}
