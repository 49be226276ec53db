package dev.fnharness.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchEncoder;
import dev.fnharness.proto.Column;
import dev.fnharness.proto.RowBatch;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
 * One batch of 1,000 rows, encoded and decoded three ways: our columnar RowBatch written straight
 * to a CodedOutputStream; Flink's own RowSerializer into a DataOutputSerializer; and a generated
 * protobuf message built per row. Times are per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SerializationBenchmark {

  public static final int ROWS = 1000;

  @Param({"BIGINT", "MIXED", "STRINGS", "NESTED"})
  public BenchmarkSchema schema;

  Row[] rows;
  RowBatchEncoder columnarEncoder;
  RowBatchDecoder columnarDecoder;
  ByteString columnarBatch;

  TypeSerializer<Row> flinkSerializer;
  DataOutputSerializer flinkOutput;
  DataInputDeserializer flinkInput;
  byte[] flinkBytes;
  int flinkLength;

  byte[] perRowBuffer;
  int perRowLength;

  @Setup
  public void setUp() throws IOException {
    rows = schema.rows(ROWS, 42);
    columnarEncoder = new RowBatchEncoder(schema.allPositions(), schema.columnTypes());
    columnarDecoder = new RowBatchDecoder(schema.columnTypes());
    columnarBatch = encodeColumnar();
    checkRoundTrip(columnarDecoder.decode(columnarBatch));

    flinkSerializer = schema.rowType().createSerializer(new SerializerConfigImpl());
    flinkOutput = new DataOutputSerializer(64 * 1024);
    flinkInput = new DataInputDeserializer();
    encodeFlinkRowSerializer();
    flinkBytes = flinkOutput.getCopyOfBuffer();
    flinkLength = flinkBytes.length;

    perRowBuffer = new byte[4 * 1024 * 1024];
    perRowLength = encodeProtobufPerRow();
  }

  @Benchmark
  public ByteString encodeColumnar() {
    for (Row row : rows) {
      columnarEncoder.add(row);
    }
    return columnarEncoder.finish();
  }

  @Benchmark
  public int encodeFlinkRowSerializer() throws IOException {
    flinkOutput.clear();
    for (Row row : rows) {
      flinkSerializer.serialize(row, flinkOutput);
    }
    return flinkOutput.length();
  }

  @Benchmark
  public int encodeProtobufPerRow() throws IOException {
    CodedOutputStream out = CodedOutputStream.newInstance(perRowBuffer);
    for (Row row : rows) {
      RowBatch message = toMessage(row, schema.columnTypes());
      out.writeUInt32NoTag(message.getSerializedSize());
      message.writeTo(out);
    }
    return out.getTotalBytesWritten();
  }

  @Benchmark
  public RowBatchDecoder.DecodedBatch decodeColumnar() {
    return columnarDecoder.decode(columnarBatch);
  }

  @Benchmark
  public Row decodeFlinkRowSerializer() throws IOException {
    flinkInput.setBuffer(flinkBytes, 0, flinkLength);
    Row last = null;
    for (int i = 0; i < ROWS; i++) {
      last = flinkSerializer.deserialize(flinkInput);
    }
    return last;
  }

  @Benchmark
  public RowBatch decodeProtobufPerRow() throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(perRowBuffer, 0, perRowLength);
    RowBatch last = null;
    for (int i = 0; i < ROWS; i++) {
      int limit = in.pushLimit(in.readRawVarint32());
      last = RowBatch.parseFrom(in);
      in.popLimit(limit);
    }
    return last;
  }

  /** The encoded batch must hold the rows, or the encode figures would measure nothing useful. */
  private void checkRoundTrip(RowBatchDecoder.DecodedBatch decoded) {
    if (decoded.rowCount() != rows.length) {
      throw new IllegalStateException("decoded " + decoded.rowCount() + " rows of " + rows.length);
    }
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < rows[r].getArity(); c++) {
        if (!Objects.deepEquals(rows[r].getField(c), decoded.value(c, r))) {
          throw new IllegalStateException(
              "row " + r + " column " + c + " came back as " + decoded.value(c, r));
        }
      }
    }
  }

  /** A one-row RowBatch built with the generated builders: the naive way to use protobuf. */
  static RowBatch toMessage(Row row, List<ColumnType> types) {
    RowBatch.Builder batch = RowBatch.newBuilder().setRowCount(1);
    for (int c = 0; c < types.size(); c++) {
      Object value = row.getField(c);
      Column.Builder column = batch.addColumnsBuilder();
      if (value == null) {
        column.setNulls(ByteString.copyFrom(new byte[] {1}));
        continue;
      }
      switch (types.get(c).kind()) {
        case BIGINT, INT -> column.addLongs(((Number) value).longValue());
        case DOUBLE -> column.addDoubles((Double) value);
        case BOOLEAN -> column.addBools((Boolean) value);
        case STRING -> column.addStrings((String) value);
        case ARRAY -> {
          Long[] elements = (Long[]) value;
          column.addLengths(elements.length);
          Column.Builder child = column.addChildrenBuilder();
          for (Long element : elements) {
            child.addLongs(element);
          }
        }
        case MAP -> {
          Map<?, ?> map = (Map<?, ?>) value;
          column.addLengths(map.size());
          Column.Builder keys = column.addChildrenBuilder();
          Column.Builder values = column.addChildrenBuilder();
          map.forEach(
              (k, v) -> {
                keys.addStrings((String) k);
                values.addDoubles((Double) v);
              });
        }
        default -> throw new IllegalArgumentException("no per-row message for " + types.get(c));
      }
    }
    return batch.build();
  }
}
