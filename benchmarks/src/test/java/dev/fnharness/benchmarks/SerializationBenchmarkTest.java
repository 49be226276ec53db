package dev.fnharness.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.proto.RowBatch;
import org.apache.flink.types.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The three encodings the benchmark compares carry the same rows, so the race is fair. */
class SerializationBenchmarkTest {

  @ParameterizedTest
  @EnumSource(BenchmarkSchema.class)
  void everyEncodingCarriesTheSameRows(BenchmarkSchema schema) throws Exception {
    SerializationBenchmark benchmark = new SerializationBenchmark();
    benchmark.schema = schema;
    benchmark.setUp();
    Row[] rows = benchmark.rows;

    RowBatchDecoder.DecodedBatch columnar = benchmark.decodeColumnar();
    assertThat(columnar.rowCount()).isEqualTo(SerializationBenchmark.ROWS);
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < rows[r].getArity(); c++) {
        assertThat(columnar.value(c, r)).isEqualTo(rows[r].getField(c));
      }
    }

    assertThat(benchmark.decodeFlinkRowSerializer()).isEqualTo(rows[rows.length - 1]);

    RowBatch lastPerRow = benchmark.decodeProtobufPerRow();
    assertThat(lastPerRow)
        .isEqualTo(SerializationBenchmark.toMessage(rows[rows.length - 1], schema.columnTypes()));
    assertThat(benchmark.encodeFlinkRowSerializer()).isPositive();
    assertThat(benchmark.encodeProtobufPerRow()).isPositive();
  }

  @org.junit.jupiter.api.Test
  void theHandWrittenMixedEncoderWritesTheSameBatchAsRowBatchEncoder() {
    MixedFloorBenchmark benchmark = new MixedFloorBenchmark();
    benchmark.setUp();
    for (int batch = 0; batch < 2; batch++) {
      assertThat(benchmark.encodeHandWritten()).isEqualTo(benchmark.encodeColumnar());
    }
  }
}
