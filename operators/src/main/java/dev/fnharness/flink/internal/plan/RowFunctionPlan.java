package dev.fnharness.flink.internal.plan;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.internal.scalar.PythonFunctionOperator;
import dev.fnharness.flink.internal.scalar.ResultJoin;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.types.Row;

/**
 * A plan whose results join the input rows they were computed from, as scalar and table functions
 * do: which input fields go to the worker, which wait for the results, and how the worker's output
 * batches join them ({@link #newResultJoin}). {@link PythonFunctionOperator} runs every such plan.
 * Bad column names and types fail when the plan is made, before the job runs.
 */
@Internal
public abstract sealed class RowFunctionPlan implements TransformPlan
    permits ScalarFunctionPlan, TableFunctionPlan {

  private static final long serialVersionUID = 1L;

  private final byte[] payload;
  private final String describe;
  private final List<String> functionReferences;
  private final int[] argumentSourcePositions;
  private final List<ColumnType> argumentTypes;
  private final int[] keptPositions;
  private final List<ColumnType> outputBatchTypes;
  private final RowTypeInfo outputType;

  RowFunctionPlan(
      ByteString payload,
      String describe,
      List<String> functionReferences,
      ArgumentColumns arguments,
      OutputColumns output,
      List<ColumnType> outputBatchTypes) {
    this.payload = payload.toByteArray();
    this.describe = describe;
    this.functionReferences = List.copyOf(functionReferences);
    this.argumentSourcePositions = arguments.sourcePositions();
    this.argumentTypes = arguments.types();
    this.keptPositions = output.keptPositions();
    this.outputBatchTypes = List.copyOf(outputBatchTypes);
    this.outputType = output.type();
  }

  /** How the joined rows are made from the worker's output batches, one object per operator. */
  public abstract ResultJoin newResultJoin();

  @Override
  public OneInputStreamOperator<Row, Row> newOperator(WorkerSetup setup) {
    return new PythonFunctionOperator(this, setup);
  }

  @Override
  public ByteString payload() {
    return ByteString.copyFrom(payload);
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public List<String> functionReferences() {
    return functionReferences;
  }

  /** For each batch column sent to the worker, the input field it is taken from. */
  public int[] argumentSourcePositions() {
    return argumentSourcePositions.clone();
  }

  /** The types of the batch columns sent to the worker. */
  public List<ColumnType> argumentTypes() {
    return argumentTypes;
  }

  /** The input fields kept for the output row, in output order. */
  public int[] keptPositions() {
    return keptPositions.clone();
  }

  @Override
  public List<ColumnType> outputBatchTypes() {
    return outputBatchTypes;
  }

  @Override
  public RowTypeInfo outputType() {
    return outputType;
  }
}
