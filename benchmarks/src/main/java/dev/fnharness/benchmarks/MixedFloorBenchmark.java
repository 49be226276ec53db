package dev.fnharness.benchmarks;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.RowBatchEncoder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The MIXED batch of {@link SerializationBenchmark} three ways in one run: {@code RowBatchEncoder},
 * {@link HandWrittenMixedEncoder} (the same bytes from code that knows the schema, the floor of
 * this wire format on this JVM) and Flink's RowSerializer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MixedFloorBenchmark {

  Row[] rows;
  RowBatchEncoder encoder;
  HandWrittenMixedEncoder handWritten;
  TypeSerializer<Row> flinkSerializer;
  DataOutputSerializer flinkOutput;

  @Setup
  public void setUp() {
    BenchmarkSchema schema = BenchmarkSchema.MIXED;
    rows = schema.rows(SerializationBenchmark.ROWS, 42);
    encoder = new RowBatchEncoder(schema.allPositions(), schema.columnTypes());
    handWritten = new HandWrittenMixedEncoder(rows.length);
    if (!encodeColumnar().equals(encodeHandWritten())) {
      throw new IllegalStateException("the hand-written encoder writes other bytes");
    }
    flinkSerializer = schema.rowType().createSerializer(new SerializerConfigImpl());
    flinkOutput = new DataOutputSerializer(64 * 1024);
  }

  @Benchmark
  public ByteString encodeColumnar() {
    for (Row row : rows) {
      encoder.add(row);
    }
    return encoder.finish();
  }

  @Benchmark
  public ByteString encodeHandWritten() {
    for (Row row : rows) {
      handWritten.add(row);
    }
    return handWritten.finish();
  }

  @Benchmark
  public int encodeFlinkRowSerializer() throws IOException {
    flinkOutput.clear();
    for (Row row : rows) {
      flinkSerializer.serialize(row, flinkOutput);
    }
    return flinkOutput.length();
  }
}
