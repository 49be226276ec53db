package dev.fnharness.flink.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** The result joins: how output batches become output rows, and what a mismatch says. */
class ResultJoinTest {

  private final List<String> emitted = new ArrayList<>();

  private void emit(Row row, WaitingRows from) {
    emitted.add(row + "@" + from.headTimestamp());
  }

  private static WaitingRows waiting(long... xs) {
    WaitingRows waiting = new WaitingRows(new int[] {0});
    for (long x : xs) {
      waiting.add(Row.of(x), new StreamRecord<>(null, x * 10));
    }
    return waiting;
  }

  private static DecodedBatch batch(Object[]... columns) {
    return new DecodedBatch(columns.length == 0 ? 0 : columns[0].length, columns);
  }

  @Test
  void scalarResultsJoinTheirRowsOneToOneAcrossBatches() {
    ScalarResultJoin join = new ScalarResultJoin(2);
    WaitingRows waiting = waiting(1, 2, 3);

    join.accept(batch(new Object[] {"a", "b"}, new Object[] {10, 20}), waiting, this::emit);
    join.accept(batch(new Object[] {"c"}, new Object[] {30}), waiting, this::emit);
    join.endBundle(waiting);

    assertThat(emitted).containsExactly("+I[1, a, 10]@10", "+I[2, b, 20]@20", "+I[3, c, 30]@30");
  }

  @Test
  void scalarMismatchesSayWhatTheWorkerSent() {
    ScalarResultJoin join = new ScalarResultJoin(2);
    assertThatThrownBy(() -> join.accept(batch(new Object[] {"a"}), waiting(1), this::emit))
        .isInstanceOf(ResultJoin.MismatchException.class)
        .hasMessage("sent 1 result columns, expected 2");
    assertThatThrownBy(
            () ->
                join.accept(
                    batch(new Object[] {"a", "b"}, new Object[] {1, 2}), waiting(1), this::emit))
        .hasMessage("sent more results than rows");
    assertThatThrownBy(() -> join.endBundle(waiting(1, 2)))
        .hasMessage("ended a bundle without results for 2 rows");
  }

  @Test
  void tableRowsJoinTheInputRowAtTheirPositionAndRowsWithoutOutputAreDropped() {
    TableResultJoin join = new TableResultJoin(1);
    WaitingRows waiting = waiting(1, 2, 3, 4);

    // row 0 yields two rows, row 1 none, row 2 one (in the next batch), row 3 none
    join.accept(batch(new Object[] {0, 0}, new Object[] {"x", "y"}), waiting, this::emit);
    join.accept(batch(new Object[] {2}, new Object[] {"z"}), waiting, this::emit);
    join.endBundle(waiting);

    assertThat(emitted).containsExactly("+I[1, x]@10", "+I[1, y]@10", "+I[3, z]@30");
    assertThat(waiting.isEmpty()).isTrue();

    // the next bundle counts positions from 0 again
    WaitingRows next = waiting(5);
    join.accept(batch(new Object[] {0}, new Object[] {"w"}), next, this::emit);
    assertThat(emitted).endsWith("+I[5, w]@50");
  }

  @Test
  void tableMismatchesSayWhatTheWorkerSent() {
    assertThatThrownBy(
            () -> new TableResultJoin(1).accept(batch(new Object[] {0}), waiting(1), this::emit))
        .hasMessage("sent 1 columns, expected the input row and 1 result columns");
    TableResultJoin backwards = new TableResultJoin(1);
    WaitingRows rows = waiting(1, 2);
    backwards.accept(batch(new Object[] {1}, new Object[] {"a"}), rows, this::emit);
    assertThatThrownBy(
            () -> backwards.accept(batch(new Object[] {0}, new Object[] {"b"}), rows, this::emit))
        .hasMessage("sent output for input row 0 after row 1");
    assertThatThrownBy(
            () ->
                new TableResultJoin(1)
                    .accept(batch(new Object[] {5}, new Object[] {"c"}), waiting(1), this::emit))
        .hasMessage("sent output for input row 5, beyond the rows of the bundle");
  }
}
