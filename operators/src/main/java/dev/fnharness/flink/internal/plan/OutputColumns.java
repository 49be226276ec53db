package dev.fnharness.flink.internal.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/** The output row: the kept input columns, in the order asked for, then the result columns. */
final class OutputColumns {

  private final int[] keptPositions;
  private final List<String> names = new ArrayList<>();
  private final List<TypeInformation<?>> types = new ArrayList<>();

  /**
   * @param kept names of the input columns to keep
   */
  OutputColumns(RowTypeInfo input, List<String> kept) {
    keptPositions = new int[kept.size()];
    for (int i = 0; i < keptPositions.length; i++) {
      String name = kept.get(i);
      int field = input.getFieldIndex(name);
      if (field < 0) {
        throw new IllegalArgumentException(
            "keep(...) names column '"
                + name
                + "', which the input does not have; its columns are "
                + Arrays.toString(input.getFieldNames()));
      }
      if (names.contains(name)) {
        throw new IllegalArgumentException("keep(...) names column '" + name + "' twice");
      }
      keptPositions[i] = field;
      names.add(name);
      types.add(input.getTypeAt(field));
    }
  }

  /**
   * @param producer names the function in the error, e.g. {@code "Python function 'm:f'"}
   */
  void addResult(String name, TypeInformation<?> type, String producer) {
    if (names.contains(name)) {
      throw new IllegalArgumentException(
          producer
              + " names its result '"
              + name
              + "', which is already a column of the output "
              + names
              + "; choose another with .as(...)");
    }
    names.add(name);
    types.add(type);
  }

  int[] keptPositions() {
    return keptPositions.clone();
  }

  RowTypeInfo type() {
    return new RowTypeInfo(types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0]));
  }
}
