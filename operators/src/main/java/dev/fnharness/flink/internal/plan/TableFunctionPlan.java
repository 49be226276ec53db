package dev.fnharness.flink.internal.plan;

import dev.fnharness.flink.PythonTableFunction;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.internal.scalar.ResultJoin;
import dev.fnharness.flink.internal.scalar.TableResultJoin;
import dev.fnharness.proto.Field;
import dev.fnharness.proto.Names;
import dev.fnharness.proto.TableFunctionPayload;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * A table function: for each row it yields, the kept input fields followed by the result columns,
 * as a lateral join would. Output batches start with the position in the bundle of the input row
 * each output row came from (docs/protocol.md, "Table functions").
 */
@Internal
public final class TableFunctionPlan extends RowFunctionPlan {

  private static final long serialVersionUID = 1L;

  public static final Names.FunctionKind KIND = Names.FunctionKind.TABLE_FUNCTION;

  private TableFunctionPlan(
      TableFunctionPayload payload,
      String describe,
      String reference,
      ArgumentColumns arguments,
      OutputColumns output,
      List<ColumnType> batchTypes) {
    super(payload.toByteString(), describe, List.of(reference), arguments, output, batchTypes);
  }

  /** The {@code kept} input columns followed by the result columns, for each yielded row. */
  public static TableFunctionPlan of(
      RowTypeInfo input, List<String> kept, PythonTableFunction function) {
    String reference = function.reference();
    String producer = "Python table function '" + reference + "'";
    ArgumentColumns arguments = new ArgumentColumns(input);
    OutputColumns output = new OutputColumns(input, kept);
    TableFunctionPayload.Builder payload =
        TableFunctionPayload.newBuilder().setFunction(arguments.call(function.call()));
    List<String> names = function.resultNames();
    List<TypeInformation<?>> types = function.resultTypes();
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
    return new TableFunctionPlan(
        payload.build(), producer, reference, arguments, output, batchTypes);
  }

  @Override
  public Names.FunctionKind kind() {
    return KIND;
  }

  @Override
  public ResultJoin newResultJoin() {
    return new TableResultJoin(outputBatchTypes().size() - 1);
  }
}
