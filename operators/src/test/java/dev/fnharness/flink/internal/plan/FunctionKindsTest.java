package dev.fnharness.flink.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.proto.Names;
import dev.fnharness.proto.ProtoNames;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every function kind of fnharness.proto has exactly one Java plan: the concrete classes the sealed
 * {@link TransformPlan} permits, each naming its kind in a public static {@code KIND}. The worker's
 * twin test checks the same of its processors (worker-python/tests).
 */
class FunctionKindsTest {

  @Test
  void everyFunctionKindHasExactlyOnePlan() throws Exception {
    Map<Names.FunctionKind, List<Class<?>>> plansByKind = new EnumMap<>(Names.FunctionKind.class);
    for (Class<?> plan : concretePlans(TransformPlan.class)) {
      Names.FunctionKind kind = (Names.FunctionKind) plan.getField("KIND").get(null);
      plansByKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(plan);
    }
    List<Names.FunctionKind> kinds =
        Arrays.stream(Names.FunctionKind.values())
            .filter(kind -> kind != Names.FunctionKind.UNRECOGNIZED)
            .toList();
    assertThat(plansByKind.keySet()).containsExactlyInAnyOrderElementsOf(kinds);
    assertThat(plansByKind.values()).allSatisfy(plans -> assertThat(plans).hasSize(1));
  }

  @Test
  void everyKindHasAUrnOfItsOwn() {
    List<String> urns =
        Arrays.stream(Names.FunctionKind.values())
            .filter(kind -> kind != Names.FunctionKind.UNRECOGNIZED)
            .map(ProtoNames::urn)
            .toList();
    assertThat(urns).doesNotHaveDuplicates().allMatch(urn -> urn.startsWith("fnharness:"));
  }

  private static List<Class<?>> concretePlans(Class<?> type) {
    List<Class<?>> concrete = new ArrayList<>();
    if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
      concrete.add(type);
    }
    Class<?>[] permitted = type.getPermittedSubclasses();
    if (permitted != null) {
      for (Class<?> sub : permitted) {
        concrete.addAll(concretePlans(sub));
      }
    }
    return concrete;
  }
}
