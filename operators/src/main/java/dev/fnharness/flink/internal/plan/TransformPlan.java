package dev.fnharness.flink.internal.plan;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import dev.fnharness.proto.Names;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.types.Row;

/**
 * A transform the worker runs, worked out when the job is built: the kind of function (its URN
 * names the worker's processor, see docs/protocol.md), the payload the processor reads, the column
 * types of the worker's output batches, the output row type, and the operator that runs it. How the
 * worker's results join the input is the operator's business: {@link RowFunctionPlan#newResultJoin}
 * for functions whose results join their input rows, the keyed operator's own results for keyed
 * functions. {@link TransformDescriptor} turns any plan into the worker's descriptor.
 *
 * <p>One class per {@link Names.FunctionKind}, each with a public static {@code KIND}; the permits
 * clause lists them all, and a test checks that every kind has exactly one. Adding a kind is a plan
 * class here, a processor under the same URN in the worker, and an entry in {@code
 * PythonFunctions}.
 */
@Internal
public sealed interface TransformPlan extends Serializable
    permits RowFunctionPlan, KeyedFunctionPlan {

  /** Which processor runs it: {@code ProtoNames.urn(kind())} is the transform's URN. */
  Names.FunctionKind kind();

  /** The serialized payload message of the kind, as the worker receives it. */
  ByteString payload();

  /** The top-level functions, e.g. {@code [udfs:add_one]}; the first one names the worker. */
  List<String> functionReferences();

  /**
   * How messages name the functions, e.g. "Python function 'udfs:add_one'", "Python functions
   * ['a:f', 'b:g']", "Python table function 'a:t'".
   */
  String describe();

  /** The column types of the worker's output batches. */
  List<ColumnType> outputBatchTypes();

  /** The type of the rows the operator emits. */
  RowTypeInfo outputType();

  /** The operator that runs this plan, getting its worker as {@code setup} says. */
  OneInputStreamOperator<Row, Row> newOperator(WorkerSetup setup);
}
