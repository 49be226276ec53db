package dev.fnharness.flink.internal.state;

import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;

/** A keyed operator (BIGINT keys) that does nothing but lend its keyed state to a test. */
public final class StateHost extends AbstractStreamOperator<Row>
    implements OneInputStreamOperator<Row, Row> {

  /** An open harness around a new host; close it after the test. */
  static KeyedOneInputStreamOperatorTestHarness<Long, Row, Row> open(
      StateHost host, StateBackend backend) throws Exception {
    KeyedOneInputStreamOperatorTestHarness<Long, Row, Row> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(host, r -> (Long) r.getField(0), Types.LONG);
    if (backend != null) {
      harness.setStateBackend(backend);
    }
    harness.open();
    return harness;
  }

  @Override
  public void processElement(StreamRecord<Row> element) {}

  UserStateRequests.KeyedStateAccess access() {
    return new UserStateRequests.KeyedStateAccess() {
      @Override
      public Object currentKey() {
        return getCurrentKey();
      }

      @Override
      public void setCurrentKey(Object key) {
        StateHost.this.setCurrentKey(key);
      }

      @Override
      public <S extends State> S state(StateDescriptor<S, ?> descriptor) throws Exception {
        return getPartitionedState(descriptor);
      }
    };
  }
}
