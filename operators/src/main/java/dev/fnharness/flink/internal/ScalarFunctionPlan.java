package dev.fnharness.flink.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.proto.Field;
import dev.fnharness.proto.PythonFunction;
import dev.fnharness.proto.ScalarFunctionPayload;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;
import org.apache.beam.model.pipeline.v1.RunnerApi.FunctionSpec;
import org.apache.beam.model.pipeline.v1.RunnerApi.PTransform;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * What one scalar operator computes, worked out once when the job is built: which input fields go
 * to the worker, the functions' payload, and the output row type. Bad column names and types fail
 * here, before the job runs.
 */
public final class ScalarFunctionPlan implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final String URN = "fnharness:transform:scalar_function:v1";
  public static final String TRANSFORM_ID = "fn";

  private final int inputArity;
  private final int[] argumentSourcePositions;
  private final List<ColumnType> argumentTypes;
  private final List<ColumnType> resultTypes;
  private final List<String> functionReferences;
  private final byte[] payload;
  private final RowTypeInfo outputType;

  private ScalarFunctionPlan(
      int inputArity,
      int[] argumentSourcePositions,
      List<ColumnType> argumentTypes,
      List<ColumnType> resultTypes,
      List<String> functionReferences,
      byte[] payload,
      RowTypeInfo outputType) {
    this.inputArity = inputArity;
    this.argumentSourcePositions = argumentSourcePositions;
    this.argumentTypes = argumentTypes;
    this.resultTypes = resultTypes;
    this.functionReferences = functionReferences;
    this.payload = payload;
    this.outputType = outputType;
  }

  public static ScalarFunctionPlan of(RowTypeInfo inputType, List<PythonScalarFunction> functions) {
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("At least one Python function is needed");
    }
    String[] names = inputType.getFieldNames();
    // Each input field is sent once, however many functions read it.
    Map<Integer, Integer> batchColumnOfField = new LinkedHashMap<>();
    ScalarFunctionPayload.Builder payload = ScalarFunctionPayload.newBuilder();
    List<ColumnType> argumentTypes = new ArrayList<>();
    List<ColumnType> resultTypes = new ArrayList<>();
    List<String> references = new ArrayList<>();
    List<String> outputNames = new ArrayList<>(Arrays.asList(names));
    List<TypeInformation<?>> outputTypes = new ArrayList<>();
    for (int i = 0; i < inputType.getArity(); i++) {
      outputTypes.add(inputType.getTypeAt(i));
    }

    for (PythonScalarFunction function : functions) {
      String reference = function.reference();
      PythonFunction.Builder proto =
          PythonFunction.newBuilder()
              .setModule(function.module())
              .setQualname(function.qualname())
              .setResultName(function.resultName());
      for (String column : function.argumentColumns()) {
        int field = inputType.getFieldIndex(column);
        if (field < 0) {
          throw new IllegalArgumentException(
              "Python function '"
                  + reference
                  + "' takes column '"
                  + column
                  + "', which the input does not have; its columns are "
                  + Arrays.toString(names));
        }
        Integer batchColumn = batchColumnOfField.get(field);
        if (batchColumn == null) {
          batchColumn = batchColumnOfField.size();
          batchColumnOfField.put(field, batchColumn);
          ColumnType type =
              ColumnType.of(
                  inputType.getTypeAt(field),
                  "input column '" + column + "' of Python function '" + reference + "'");
          argumentTypes.add(type);
          payload.addInputColumns(Field.newBuilder().setName(column).setType(type.toProto()));
        }
        proto.addArgColumns(batchColumn);
      }
      if (function.resultType() == null) {
        throw new IllegalArgumentException(
            "Python function '"
                + reference
                + "' needs a result type: add .returns(Types.LONG) or another type");
      }
      ColumnType resultType =
          ColumnType.of(
              function.resultType(),
              "result column '" + function.resultName() + "' of Python function '" + reference + "'");
      if (outputNames.contains(function.resultName())) {
        throw new IllegalArgumentException(
            "Python function '"
                + reference
                + "' names its result '"
                + function.resultName()
                + "', which is already a column; choose another with .as(...)");
      }
      proto.setResultType(resultType.toProto());
      payload.addFunctions(proto);
      resultTypes.add(resultType);
      references.add(reference);
      outputNames.add(function.resultName());
      outputTypes.add(resultType.typeInfo());
    }

    int[] sources = batchColumnOfField.keySet().stream().mapToInt(Integer::intValue).toArray();
    RowTypeInfo outputType =
        new RowTypeInfo(
            outputTypes.toArray(new TypeInformation<?>[0]), outputNames.toArray(new String[0]));
    return new ScalarFunctionPlan(
        inputType.getArity(),
        sources,
        List.copyOf(argumentTypes),
        List.copyOf(resultTypes),
        List.copyOf(references),
        payload.build().toByteArray(),
        outputType);
  }

  public ProcessBundleDescriptor descriptor(String descriptorId) {
    return ProcessBundleDescriptor.newBuilder()
        .setId(descriptorId)
        .putTransforms(
            TRANSFORM_ID,
            PTransform.newBuilder()
                .setUniqueName(String.join(",", functionReferences))
                .setSpec(
                    FunctionSpec.newBuilder().setUrn(URN).setPayload(ByteString.copyFrom(payload)))
                .build())
        .build();
  }

  /** "Python function 'udfs:add_one'" or "Python functions ['a:f', 'b:g']", for messages. */
  public String describe() {
    return functionReferences.size() == 1
        ? "Python function '" + functionReferences.get(0) + "'"
        : "Python functions " + functionReferences.stream().map(r -> "'" + r + "'").toList();
  }

  public int inputArity() {
    return inputArity;
  }

  public int[] argumentSourcePositions() {
    return argumentSourcePositions.clone();
  }

  public List<ColumnType> argumentTypes() {
    return argumentTypes;
  }

  public List<ColumnType> resultTypes() {
    return resultTypes;
  }

  public List<String> functionReferences() {
    return functionReferences;
  }

  public RowTypeInfo outputType() {
    return outputType;
  }

  /** The payload as the worker receives it, for tests and debugging. */
  public ScalarFunctionPayload payload() {
    try {
      return ScalarFunctionPayload.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
