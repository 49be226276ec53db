package dev.fnharness.flink.internal.plan;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.PythonTableFunction;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.internal.scalar.ResultJoin;
import dev.fnharness.flink.internal.scalar.ScalarResultJoin;
import dev.fnharness.flink.internal.scalar.TableResultJoin;
import dev.fnharness.proto.Call;
import dev.fnharness.proto.Field;
import dev.fnharness.proto.Names;
import dev.fnharness.proto.ProtoNames;
import dev.fnharness.proto.PythonFunction;
import dev.fnharness.proto.ScalarFunctionPayload;
import dev.fnharness.proto.TableFunctionPayload;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;
import org.apache.beam.model.pipeline.v1.RunnerApi.FunctionSpec;
import org.apache.beam.model.pipeline.v1.RunnerApi.PTransform;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * What one Python operator computes, worked out once when the job is built: which input fields go
 * to the worker, the transform and its payload, which input fields wait for the results, and the
 * output row type. Bad column names and types fail here, before the job runs.
 */
public final class FunctionPlan implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final String SCALAR_URN = ProtoNames.urn(Names.FunctionKind.SCALAR_FUNCTION);
  public static final String TABLE_URN = ProtoNames.urn(Names.FunctionKind.TABLE_FUNCTION);
  public static final String TRANSFORM_ID = ProtoNames.constant(Names.Constant.TRANSFORM_ID);

  private final String urn;
  private final byte[] payload;
  private final String describe;
  private final List<String> functionReferences;
  private final int[] argumentSourcePositions;
  private final List<ColumnType> argumentTypes;
  private final int[] keptPositions;
  private final List<ColumnType> outputBatchTypes;
  private final RowTypeInfo outputType;

  private FunctionPlan(
      String urn,
      ByteString payload,
      String describe,
      List<String> functionReferences,
      ArgumentColumns arguments,
      OutputColumns output,
      List<ColumnType> outputBatchTypes) {
    this.urn = urn;
    this.payload = payload.toByteArray();
    this.describe = describe;
    this.functionReferences = List.copyOf(functionReferences);
    this.argumentSourcePositions = arguments.sourcePositions();
    this.argumentTypes = arguments.types();
    this.keptPositions = output.keptPositions();
    this.outputBatchTypes = List.copyOf(outputBatchTypes);
    this.outputType = output.type();
  }

  /** Every input column followed by one column per function. */
  public static FunctionPlan scalar(RowTypeInfo input, List<PythonScalarFunction> functions) {
    return scalar(input, List.of(input.getFieldNames()), functions);
  }

  /** The {@code kept} input columns followed by one column per function. */
  public static FunctionPlan scalar(
      RowTypeInfo input, List<String> kept, List<PythonScalarFunction> functions) {
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("At least one Python function is needed");
    }
    ArgumentColumns arguments = new ArgumentColumns(input);
    OutputColumns output = new OutputColumns(input, kept);
    ScalarFunctionPayload.Builder payload = ScalarFunctionPayload.newBuilder();
    List<ColumnType> resultTypes = new ArrayList<>();
    List<String> references = new ArrayList<>();
    for (PythonScalarFunction function : functions) {
      String reference = function.reference();
      Call call = arguments.call(function.call());
      if (function.resultType() == null) {
        throw new IllegalArgumentException(
            "Python function '"
                + reference
                + "' needs a result type: add .returns(Types.LONG) or another type");
      }
      ColumnType resultType =
          ColumnType.of(
              function.resultType(),
              "result column '"
                  + function.resultName()
                  + "' of Python function '"
                  + reference
                  + "'");
      output.addResult(
          function.resultName(), resultType.typeInfo(), "Python function '" + reference + "'");
      payload.addFunctions(
          PythonFunction.newBuilder()
              .setModule(call.getModule())
              .setQualname(call.getQualname())
              .addAllArgs(call.getArgsList())
              .setResultType(resultType.toProto())
              .setResultName(function.resultName()));
      resultTypes.add(resultType);
      references.add(reference);
    }
    payload.addAllInputColumns(arguments.fields());
    String describe =
        references.size() == 1
            ? "Python function '" + references.get(0) + "'"
            : "Python functions " + references.stream().map(r -> "'" + r + "'").toList();
    return new FunctionPlan(
        SCALAR_URN,
        payload.build().toByteString(),
        describe,
        references,
        arguments,
        output,
        resultTypes);
  }

  /** The {@code kept} input columns followed by the result columns, for each yielded row. */
  public static FunctionPlan table(
      RowTypeInfo input, List<String> kept, PythonTableFunction function) {
    String reference = function.reference();
    String producer = "Python table function '" + reference + "'";
    ArgumentColumns arguments = new ArgumentColumns(input);
    OutputColumns output = new OutputColumns(input, kept);
    TableFunctionPayload.Builder payload =
        TableFunctionPayload.newBuilder().setFunction(arguments.call(function.call()));
    List<String> names = function.resultNames();
    List<TypeInformation<?>> types = function.resultTypes();
    // Output batches start with the position in the bundle of the input row each row came from.
    List<ColumnType> batchTypes = new ArrayList<>();
    batchTypes.add(ColumnType.of(Types.INT, "input row"));
    for (int i = 0; i < names.size(); i++) {
      ColumnType type =
          ColumnType.of(types.get(i), "result column '" + names.get(i) + "' of " + producer);
      output.addResult(names.get(i), type.typeInfo(), producer);
      payload.addResultColumns(Field.newBuilder().setName(names.get(i)).setType(type.toProto()));
      batchTypes.add(type);
    }
    payload.addAllInputColumns(arguments.fields());
    return new FunctionPlan(
        TABLE_URN,
        payload.build().toByteString(),
        producer,
        List.of(reference),
        arguments,
        output,
        batchTypes);
  }

  public ProcessBundleDescriptor descriptor(String descriptorId) {
    return ProcessBundleDescriptor.newBuilder()
        .setId(descriptorId)
        .putTransforms(
            TRANSFORM_ID,
            PTransform.newBuilder()
                .setUniqueName(String.join(",", functionReferences))
                .setSpec(FunctionSpec.newBuilder().setUrn(urn).setPayload(payload()))
                .build())
        .build();
  }

  /** How the joined rows are made from the worker's output batches, one object per operator. */
  public ResultJoin newResultJoin() {
    return TABLE_URN.equals(urn)
        ? new TableResultJoin(outputBatchTypes.size() - 1)
        : new ScalarResultJoin(outputBatchTypes.size());
  }

  /**
   * "Python function 'udfs:add_one'", "Python functions ['a:f', 'b:g']", "Python table function
   * 'a:t'".
   */
  public String describe() {
    return describe;
  }

  /** The top-level functions, e.g. {@code [udfs:add_one]}. */
  public List<String> functionReferences() {
    return functionReferences;
  }

  /** For each batch column sent to the worker, the input field it is taken from. */
  public int[] argumentSourcePositions() {
    return argumentSourcePositions.clone();
  }

  public List<ColumnType> argumentTypes() {
    return argumentTypes;
  }

  /** The input fields kept for the output row, in output order. */
  public int[] keptPositions() {
    return keptPositions.clone();
  }

  /** The column types of the worker's output batches. */
  public List<ColumnType> outputBatchTypes() {
    return outputBatchTypes;
  }

  public RowTypeInfo outputType() {
    return outputType;
  }

  /** The serialized payload as the worker receives it, for tests and debugging. */
  public ByteString payload() {
    return ByteString.copyFrom(payload);
  }
}
