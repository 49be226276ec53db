package dev.fnharness.flink.internal.plan;

import static dev.fnharness.flink.PythonExpression.call;
import static dev.fnharness.flink.PythonExpression.col;
import static dev.fnharness.flink.PythonExpression.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.PythonTableFunction;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.proto.Expression;
import dev.fnharness.proto.OperatorInfo;
import dev.fnharness.proto.ScalarFunctionPayload;
import dev.fnharness.proto.TableFunctionPayload;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.junit.jupiter.api.Test;

public class RowFunctionPlanTest {

  private static final RowTypeInfo INPUT =
      (RowTypeInfo)
          Types.ROW_NAMED(
              new String[] {"id", "name", "score"}, Types.LONG, Types.STRING, Types.DOUBLE);

  private static ScalarFunctionPayload scalarPayload(RowFunctionPlan plan) throws Exception {
    return ScalarFunctionPayload.parseFrom(plan.payload());
  }

  private static Expression column(int index) {
    return Expression.newBuilder().setColumn(index).build();
  }

  @Test
  void sendsEachArgumentColumnOnceAndAppendsResults() throws Exception {
    RowFunctionPlan plan =
        ScalarFunctionPlan.of(
            INPUT,
            List.of(
                PythonScalarFunction.of("m:f").args("score", "id").returns(Types.DOUBLE).as("a"),
                PythonScalarFunction.of("m:g").args("id").returns(Types.STRING).as("b")));

    assertThat(plan.argumentSourcePositions()).containsExactly(2, 0);
    assertThat(plan.argumentTypes()).containsExactly(ColumnType.DOUBLE, ColumnType.BIGINT);
    ScalarFunctionPayload payload = scalarPayload(plan);
    assertThat(payload.getInputColumnsList())
        .extracting(f -> f.getName())
        .containsExactly("score", "id");
    assertThat(payload.getFunctions(0).getArgsList()).containsExactly(column(0), column(1));
    assertThat(payload.getFunctions(1).getArgsList()).containsExactly(column(1));
    assertThat(plan.outputType().getFieldNames()).containsExactly("id", "name", "score", "a", "b");
    assertThat(plan.outputBatchTypes()).containsExactly(ColumnType.DOUBLE, ColumnType.STRING);
    assertThat(plan.keptPositions()).containsExactly(0, 1, 2);
    assertThat(plan.describe()).isEqualTo("Python functions ['m:f', 'm:g']");
  }

  @Test
  void nestedCallsAndLiteralsBecomeOneTreePerFunction() throws Exception {
    RowFunctionPlan plan =
        ScalarFunctionPlan.of(
            INPUT,
            List.of(
                PythonScalarFunction.of("m:f")
                    .args(call("m:g").args("name"), call("m:h").args(col("id"), lit(3)), lit(null))
                    .returns(Types.STRING)
                    .as("z")));

    assertThat(plan.argumentSourcePositions()).containsExactly(1, 0);
    List<Expression> args = scalarPayload(plan).getFunctions(0).getArgsList();
    assertThat(args).hasSize(3);
    assertThat(args.get(0).getCall().getModule()).isEqualTo("m");
    assertThat(args.get(0).getCall().getQualname()).isEqualTo("g");
    assertThat(args.get(0).getCall().getArgsList()).containsExactly(column(0));
    assertThat(args.get(1).getCall().getQualname()).isEqualTo("h");
    assertThat(args.get(1).getCall().getArgs(0)).isEqualTo(column(1));
    assertThat(args.get(1).getCall().getArgs(1).getLiteral().getLongValue()).isEqualTo(3L);
    assertThat(args.get(2).hasLiteral()).isTrue();
    assertThat(args.get(2).getLiteral().getValueCase().getNumber()).isZero(); // None
    assertThat(plan.functionReferences()).containsExactly("m:f");
  }

  @Test
  void literalsKeepTheirKind() throws Exception {
    RowFunctionPlan plan =
        ScalarFunctionPlan.of(
            INPUT,
            List.of(
                PythonScalarFunction.of("m:f")
                    .args(lit(1), lit(2.5f), lit(true), lit("é"))
                    .returns(Types.STRING)));
    List<Expression> args = scalarPayload(plan).getFunctions(0).getArgsList();
    assertThat(args.get(0).getLiteral().getLongValue()).isEqualTo(1L);
    assertThat(args.get(1).getLiteral().getDoubleValue()).isEqualTo(2.5);
    assertThat(args.get(2).getLiteral().getBoolValue()).isTrue();
    assertThat(args.get(3).getLiteral().getStringValue()).isEqualTo("é");
    assertThat(plan.argumentSourcePositions()).isEmpty();
    assertThatThrownBy(() -> lit(java.time.LocalDate.EPOCH))
        .hasMessageContaining("java.time.LocalDate");
  }

  @Test
  void keepChoosesAndOrdersTheInputColumnsOfTheOutput() {
    RowFunctionPlan plan =
        ScalarFunctionPlan.of(
            INPUT,
            List.of("score", "id"),
            List.of(PythonScalarFunction.of("m:f").args("name").returns(Types.LONG).as("name2")));

    assertThat(plan.keptPositions()).containsExactly(2, 0);
    assertThat(plan.outputType().getFieldNames()).containsExactly("score", "id", "name2");
    assertThat(plan.outputType().getTypeAt(0)).isEqualTo(Types.DOUBLE);

    // a result may take the name of an input column that is not kept
    RowFunctionPlan none =
        ScalarFunctionPlan.of(
            INPUT,
            List.of(),
            List.of(PythonScalarFunction.of("m:f").args("name").returns(Types.LONG).as("name")));
    assertThat(none.outputType().getFieldNames()).containsExactly("name");
  }

  @Test
  void keepRejectsUnknownAndRepeatedColumnsAndClashingResults() {
    PythonScalarFunction f = PythonScalarFunction.of("m:f").args("id").returns(Types.LONG).as("id");
    assertThatThrownBy(() -> ScalarFunctionPlan.of(INPUT, List.of("nope"), List.of(f)))
        .hasMessageContaining("keep(...) names column 'nope'")
        .hasMessageContaining("[id, name, score]");
    assertThatThrownBy(() -> ScalarFunctionPlan.of(INPUT, List.of("name", "name"), List.of(f)))
        .hasMessageContaining("'name' twice");
    assertThatThrownBy(() -> ScalarFunctionPlan.of(INPUT, List.of("id"), List.of(f)))
        .hasMessageContaining("Python function 'm:f' names its result 'id'")
        .hasMessageContaining(".as(...)");
  }

  @Test
  void namesTheFunctionAndColumnsForAnUnknownColumn() {
    assertThatThrownBy(
            () ->
                ScalarFunctionPlan.of(
                    INPUT,
                    List.of(PythonScalarFunction.of("m:f").args("nope").returns(Types.LONG))))
        .hasMessageContaining("'m:f'")
        .hasMessageContaining("'nope'")
        .hasMessageContaining("[id, name, score]");
    assertThatThrownBy(
            () ->
                ScalarFunctionPlan.of(
                    INPUT,
                    List.of(
                        PythonScalarFunction.of("m:f")
                            .args(col("id"), call("m:inner").args("nope"))
                            .returns(Types.LONG))))
        .hasMessageContaining("Python function 'm:inner' takes column 'nope'");
  }

  @Test
  void rejectsUnsupportedTypesAndMissingResultTypes() {
    assertThatThrownBy(
            () ->
                ScalarFunctionPlan.of(
                    INPUT, List.of(PythonScalarFunction.of("m:f").args("id").returns(Types.CHAR))))
        .hasMessageContaining("result column 'f'")
        .hasMessageContaining("supported");
    assertThatThrownBy(
            () -> ScalarFunctionPlan.of(INPUT, List.of(PythonScalarFunction.of("m:f").args("id"))))
        .hasMessageContaining("needs a result type");
  }

  @Test
  void rejectsBadReferences() {
    assertThatThrownBy(() -> PythonScalarFunction.of("no_colon"))
        .hasMessageContaining("'no_colon'")
        .hasMessageContaining("module:function");
    assertThatThrownBy(() -> call("a:b:c")).hasMessageContaining("'a:b:c'");
  }

  @Test
  void tableFunctionOfOneColumnIsNamedAfterTheFunction() throws Exception {
    RowFunctionPlan plan =
        TableFunctionPlan.of(
            INPUT,
            List.of("id"),
            PythonTableFunction.of("m:words")
                .args(call("m:lower").args("name"))
                .returns(Types.STRING));

    assertThat(plan.outputType().getFieldNames()).containsExactly("id", "words");
    assertThat(plan.outputBatchTypes()).containsExactly(ColumnType.INT, ColumnType.STRING);
    assertThat(plan.describe()).isEqualTo("Python table function 'm:words'");
    assertThat(
            TransformDescriptor.of(plan, "d", OperatorInfo.getDefaultInstance())
                .getTransformsOrThrow(TransformDescriptor.TRANSFORM_ID)
                .getSpec()
                .getUrn())
        .isEqualTo("fnharness:transform:table_function:v1");
    TableFunctionPayload payload = TableFunctionPayload.parseFrom(plan.payload());
    assertThat(payload.getFunction().getQualname()).isEqualTo("words");
    assertThat(payload.getFunction().getArgs(0).getCall().getQualname()).isEqualTo("lower");
    assertThat(payload.getInputColumnsList()).extracting(f -> f.getName()).containsExactly("name");
    assertThat(payload.getResultColumnsList())
        .extracting(f -> f.getName())
        .containsExactly("words");
  }

  @Test
  void tableFunctionOfSeveralColumnsTakesThemFromTheRowType() {
    PythonTableFunction pairs =
        PythonTableFunction.of("m:pairs")
            .args("name")
            .returns(Types.ROW_NAMED(new String[] {"w", "n"}, Types.STRING, Types.INT));
    RowFunctionPlan plan = TableFunctionPlan.of(INPUT, List.of("id", "name"), pairs);
    assertThat(plan.outputType().getFieldNames()).containsExactly("id", "name", "w", "n");
    assertThat(plan.outputBatchTypes())
        .containsExactly(ColumnType.INT, ColumnType.STRING, ColumnType.INT);

    RowFunctionPlan renamed = TableFunctionPlan.of(INPUT, List.of(), pairs.as("word", "length"));
    assertThat(renamed.outputType().getFieldNames()).containsExactly("word", "length");

    assertThatThrownBy(() -> TableFunctionPlan.of(INPUT, List.of(), pairs.as("only_one")))
        .hasMessageContaining("returns 2 column(s) but .as(...) names 1");
    assertThatThrownBy(() -> TableFunctionPlan.of(INPUT, List.of("id"), pairs.as("id", "n")))
        .hasMessageContaining("Python table function 'm:pairs' names its result 'id'");
    assertThatThrownBy(
            () -> TableFunctionPlan.of(INPUT, List.of(), PythonTableFunction.of("m:t").args("id")))
        .hasMessageContaining("Python table function 'm:t' needs a result type");
  }
}
