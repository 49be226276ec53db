package dev.fnharness.flink.internal.testing;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import dev.fnharness.flink.codec.RowBatchEncoder;
import dev.fnharness.flink.internal.plan.RowFunctionPlan;
import dev.fnharness.harness.testing.FakeWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.flink.types.Row;

/**
 * {@link FakeWorker} processors that compute in Java what a plan's Python functions would, reading
 * and writing the same batches the Python worker does (docs/protocol.md, "Data", "Table
 * functions").
 */
public final class FakeProcessors {

  private FakeProcessors() {}

  /**
   * Scalar functions: each input batch is answered by one output batch, whose row r holds {@code
   * compute} of row r's argument columns (in the plan's input-column order).
   */
  public static Supplier<FakeWorker.Processor> scalar(
      RowFunctionPlan plan, Function<Object[], Object[]> compute) {
    return () -> {
      RowBatchDecoder arguments = new RowBatchDecoder(plan.argumentTypes());
      RowBatchEncoder results = encoder(plan.outputBatchTypes());
      return input -> {
        DecodedBatch batch = arguments.decode(input);
        for (int r = 0; r < batch.rowCount(); r++) {
          results.add(Row.of(compute.apply(argumentsOf(batch, r))));
        }
        return List.of(results.finish());
      };
    };
  }

  /**
   * A table function: input row i of the bundle yields {@code rows} of its argument columns, each
   * an array of the result columns. Output goes in batches of at most {@code batchRows} rows, cut
   * wherever they fill, as the worker cuts them.
   */
  public static Supplier<FakeWorker.Processor> table(
      RowFunctionPlan plan, Function<Object[], List<Object[]>> rows, int batchRows) {
    return () ->
        new FakeWorker.Processor() {
          final RowBatchDecoder arguments = new RowBatchDecoder(plan.argumentTypes());
          final RowBatchEncoder results = encoder(plan.outputBatchTypes());
          int position;

          @Override
          public List<ByteString> process(ByteString input) {
            DecodedBatch batch = arguments.decode(input);
            List<ByteString> out = new ArrayList<>();
            for (int r = 0; r < batch.rowCount(); r++, position++) {
              for (Object[] yielded : rows.apply(argumentsOf(batch, r))) {
                Object[] row = new Object[yielded.length + 1];
                row[0] = position;
                System.arraycopy(yielded, 0, row, 1, yielded.length);
                results.add(Row.of(row));
                if (results.rowCount() == batchRows) {
                  out.add(results.finish());
                }
              }
            }
            return out;
          }

          @Override
          public List<ByteString> finish() {
            return results.rowCount() > 0 ? List.of(results.finish()) : List.of();
          }
        };
  }

  private static Object[] argumentsOf(DecodedBatch batch, int row) {
    Object[] arguments = new Object[batch.columns().length];
    for (int c = 0; c < arguments.length; c++) {
      arguments[c] = batch.value(c, row);
    }
    return arguments;
  }

  private static RowBatchEncoder encoder(List<ColumnType> types) {
    int[] positions = new int[types.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    return new RowBatchEncoder(positions, types);
  }
}
