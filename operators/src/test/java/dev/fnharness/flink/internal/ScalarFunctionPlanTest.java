package dev.fnharness.flink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.proto.ScalarFunctionPayload;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.junit.jupiter.api.Test;

class ScalarFunctionPlanTest {

  private static final RowTypeInfo INPUT =
      (RowTypeInfo)
          Types.ROW_NAMED(
              new String[] {"id", "name", "score"}, Types.LONG, Types.STRING, Types.DOUBLE);

  @Test
  void sendsEachArgumentColumnOnceAndAppendsResults() {
    ScalarFunctionPlan plan =
        ScalarFunctionPlan.of(
            INPUT,
            List.of(
                PythonScalarFunction.of("m:f").args("score", "id").returns(Types.DOUBLE).as("a"),
                PythonScalarFunction.of("m:g").args("id").returns(Types.STRING).as("b")));

    assertThat(plan.argumentSourcePositions()).containsExactly(2, 0);
    assertThat(plan.argumentTypes()).containsExactly(ColumnType.DOUBLE, ColumnType.BIGINT);
    ScalarFunctionPayload payload = plan.payload();
    assertThat(payload.getFunctions(0).getArgColumnsList()).containsExactly(0, 1);
    assertThat(payload.getFunctions(1).getArgColumnsList()).containsExactly(1);
    assertThat(plan.outputType().getFieldNames()).containsExactly("id", "name", "score", "a", "b");
    assertThat(plan.describe()).isEqualTo("Python functions ['m:f', 'm:g']");
  }

  @Test
  void namesTheFunctionAndColumnsForAnUnknownColumn() {
    assertThatThrownBy(
            () ->
                ScalarFunctionPlan.of(
                    INPUT, List.of(PythonScalarFunction.of("m:f").args("nope").returns(Types.LONG))))
        .hasMessageContaining("'m:f'")
        .hasMessageContaining("'nope'")
        .hasMessageContaining("[id, name, score]");
  }

  @Test
  void rejectsUnsupportedTypesAndMissingResultTypes() {
    assertThatThrownBy(
            () ->
                ScalarFunctionPlan.of(
                    INPUT,
                    List.of(PythonScalarFunction.of("m:f").args("id").returns(Types.CHAR))))
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
  }
}
