package dev.fnharness.flink.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

/** {@link WaitingRows}: kept fields, kinds and timestamps of the rows waiting for results. */
class WaitingRowsTest {

  @Test
  void keepsTheChosenFieldsKindAndTimestampOfEachRowInOrder() {
    WaitingRows waiting = new WaitingRows(new int[] {2, 0});
    waiting.add(Row.ofKind(RowKind.UPDATE_AFTER, 1L, "a", 1.5), new StreamRecord<>(null, 10));
    waiting.add(Row.of(2L, "b", 2.5), new StreamRecord<>(null));

    assertThat(waiting.size()).isEqualTo(2);
    assertThat(waiting.keptArity()).isEqualTo(2);
    Row first = waiting.headWithRoom(1);
    assertThat(first.getKind()).isEqualTo(RowKind.UPDATE_AFTER);
    assertThat(first.getArity()).isEqualTo(3);
    assertThat(first.getField(0)).isEqualTo(1.5);
    assertThat(first.getField(1)).isEqualTo(1L);
    assertThat(first.getField(2)).isNull();
    assertThat(waiting.headTimestamped()).isTrue();
    assertThat(waiting.headTimestamp()).isEqualTo(10L);

    waiting.removeHead();
    assertThat(waiting.headWithRoom(0)).isEqualTo(Row.of(2.5, 2L));
    assertThat(waiting.headTimestamped()).isFalse();
    waiting.removeHead();
    assertThat(waiting.isEmpty()).isTrue();
  }

  @Test
  void copiesTheFieldsSoThatTheInputRowMayBeReused() {
    WaitingRows waiting = new WaitingRows(new int[] {0});
    Row reused = Row.of(1L);
    StreamRecord<Row> record = new StreamRecord<>(reused, 1);
    for (long i = 1; i <= 3; i++) {
      reused.setField(0, i);
      waiting.add(reused, record);
    }
    for (long i = 1; i <= 3; i++) {
      assertThat(waiting.headWithRoom(0).getField(0)).isEqualTo(i);
      waiting.removeHead();
    }
  }

  @Test
  void growsPastItsFirstCapacityAndRewindsOnceEmpty() {
    WaitingRows waiting = new WaitingRows(new int[] {0});
    for (int round = 0; round < 2; round++) {
      for (long i = 0; i < 1000; i++) {
        waiting.add(Row.of(i), new StreamRecord<>(null, i));
      }
      assertThat(waiting.size()).isEqualTo(1000);
      for (long i = 0; i < 1000; i++) {
        assertThat(waiting.headTimestamp()).isEqualTo(i);
        assertThat(waiting.headWithRoom(0).getField(0)).isEqualTo(i);
        waiting.removeHead();
      }
      assertThat(waiting.isEmpty()).isTrue();
    }
  }

  @Test
  void clearForgetsEveryRow() {
    WaitingRows waiting = new WaitingRows(new int[] {0});
    waiting.add(Row.of(1L), new StreamRecord<>(null));
    waiting.add(Row.of(2L), new StreamRecord<>(null));
    waiting.clear();
    assertThat(waiting.isEmpty()).isTrue();
    waiting.add(Row.of(3L), new StreamRecord<>(null));
    assertThat(waiting.headWithRoom(0).getField(0)).isEqualTo(3L);
  }
}
