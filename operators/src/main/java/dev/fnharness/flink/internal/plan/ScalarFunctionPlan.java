package dev.fnharness.flink.internal.plan;

import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.internal.scalar.ResultJoin;
import dev.fnharness.flink.internal.scalar.ScalarResultJoin;
import dev.fnharness.proto.Call;
import dev.fnharness.proto.Names;
import dev.fnharness.proto.PythonFunction;
import dev.fnharness.proto.ScalarFunctionPayload;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * Scalar functions, one or more in one operator: every output row is the kept input fields followed
 * by one result per function, one output row per input row.
 */
@Internal
public final class ScalarFunctionPlan extends RowFunctionPlan {

  private static final long serialVersionUID = 1L;

  public static final Names.FunctionKind KIND = Names.FunctionKind.SCALAR_FUNCTION;

  private ScalarFunctionPlan(
      ScalarFunctionPayload payload,
      String describe,
      List<String> references,
      ArgumentColumns arguments,
      OutputColumns output,
      List<ColumnType> resultTypes) {
    super(payload.toByteString(), describe, references, arguments, output, resultTypes);
  }

  /** Every input column followed by one column per function. */
  public static ScalarFunctionPlan of(RowTypeInfo input, List<PythonScalarFunction> functions) {
    return of(input, List.of(input.getFieldNames()), functions);
  }

  /** The {@code kept} input columns followed by one column per function. */
  public static ScalarFunctionPlan of(
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
    return new ScalarFunctionPlan(
        payload.build(), describe, references, arguments, output, resultTypes);
  }

  @Override
  public Names.FunctionKind kind() {
    return KIND;
  }

  @Override
  public ResultJoin newResultJoin() {
    return new ScalarResultJoin(outputBatchTypes().size());
  }
}
