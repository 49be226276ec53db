package dev.fnharness.flink.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.proto.DataType.Kind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every column kind of fnharness.proto has its one Java entry: a scalar one, or a nested type. */
class ScalarKindTest {

  private static final Set<Kind> NESTED = EnumSet.of(Kind.ARRAY, Kind.MAP, Kind.ROW);

  @Test
  void everyKindIsAScalarEntryOrNested() {
    for (Kind kind : Kind.values()) {
      if (kind == Kind.KIND_UNSPECIFIED || kind == Kind.UNRECOGNIZED) {
        continue;
      }
      assertThat(ScalarKind.of(kind) != null ^ NESTED.contains(kind))
          .as("%s has exactly one of a scalar entry and a nested type", kind)
          .isTrue();
    }
    assertThat(Arrays.stream(ScalarKind.values()).map(s -> s.kind)).doesNotHaveDuplicates();
  }

  @Test
  void eachEntryIsTheColumnTypeOfItsFlinkTypeAndWritesWhatItReads() {
    for (ScalarKind scalar : ScalarKind.values()) {
      ColumnType type = ColumnType.of(scalar.typeInfo, "column of " + scalar);
      assertThat(type.kind()).isEqualTo(scalar.kind);
      assertThat(ColumnWriter.forType(type)).isNotNull();
      assertThat(type.toString()).isEqualTo(scalar.kind.name());
    }
  }
}
