package dev.fnharness.flink.internal.keyed;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import dev.fnharness.flink.internal.bundles.OperatorRuntime;
import dev.fnharness.flink.internal.keyed.KeyedInputBatch.SentEvents;
import dev.fnharness.flink.internal.plan.KeyedFunctionPlan;
import dev.fnharness.proto.KeyedAction;
import java.util.ArrayDeque;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * What a keyed function's output batches mean (docs/protocol.md, "Keyed functions and state"): each
 * output batch answers the oldest input batch still waiting, and each of its rows either emits an
 * output row, with the timestamp of the event it answers, or registers or deletes a timer for that
 * event's key. Task thread only: it sets the operator's current key to apply timers.
 */
final class KeyedResults {

  private final String describe;
  private final int fields;
  private final RowBatchDecoder decoder;
  private final Output<StreamRecord<Row>> output;
  private final InternalTimerService<VoidNamespace> timers;
  private final KeyContext keys;
  private final OperatorRuntime<?> runtime;
  private final StreamRecord<Row> outputRecord = new StreamRecord<>(null);

  /** Batches sent to the worker whose results have not come back yet, oldest first. */
  private final ArrayDeque<SentEvents> awaitingResults = new ArrayDeque<>();

  /**
   * @param keys the operator, whose current key a timer is registered for
   * @param runtime names the worker in errors about what it sent
   */
  KeyedResults(
      KeyedFunctionPlan plan,
      Output<StreamRecord<Row>> output,
      InternalTimerService<VoidNamespace> timers,
      KeyContext keys,
      OperatorRuntime<?> runtime) {
    this.describe = plan.describe();
    this.fields = plan.outputType().getArity();
    this.decoder = new RowBatchDecoder(plan.outputBatchTypes());
    this.output = output;
    this.timers = timers;
    this.keys = keys;
    this.runtime = runtime;
  }

  /** A batch went to the worker: its results come back in the order the batches went. */
  void sent(SentEvents events) {
    awaitingResults.add(events);
  }

  /** Emits the rows and applies the timers of one output batch. */
  void accept(ByteString chunk) {
    DecodedBatch results = decoder.decode(chunk);
    SentEvents sent = awaitingResults.poll();
    if (sent == null) {
      throw runtime.misbehaved("sent more batches than it got");
    }
    for (int r = 0; r < results.rowCount(); r++) {
      Object source = results.value(0, r);
      if (!(source instanceof Integer event) || event < 0 || event >= sent.keys().length) {
        throw new PythonFunctionException(
            describe
                + ": worker sent output for event "
                + source
                + " of a batch of "
                + sent.keys().length);
      }
      int action = (Integer) results.value(1, r);
      if (action == KeyedAction.KEYED_ACTION_EMIT_VALUE) {
        emit(results, r, sent.outputTimestamps()[event]);
      } else {
        applyTimer(sent.keys()[event], action, (Long) results.value(2, r));
      }
    }
  }

  /** The worker ended the bundle: every batch of it must have been answered. */
  void bundleEnded() {
    if (!awaitingResults.isEmpty()) {
      throw runtime.misbehaved(
          "ended a bundle without results for " + awaitingResults.size() + " batches");
    }
  }

  private void emit(DecodedBatch results, int r, Long timestamp) {
    Row out = new Row(fields);
    for (int f = 0; f < fields; f++) {
      out.setField(f, results.value(KeyedFunctionPlan.OUTPUT_HEADER_COLUMNS + f, r));
    }
    if (timestamp != null) {
      outputRecord.replace(out, timestamp);
    } else {
      outputRecord.replace(out);
      outputRecord.eraseTimestamp();
    }
    output.collect(outputRecord);
  }

  private void applyTimer(Object key, int action, Long time) {
    if (time == null) {
      throw new PythonFunctionException(describe + ": worker sent a timer without a time");
    }
    Object previousKey = keys.getCurrentKey();
    keys.setCurrentKey(key);
    try {
      switch (action) {
        case KeyedAction.KEYED_ACTION_REGISTER_EVENT_TIME_TIMER_VALUE ->
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
        case KeyedAction.KEYED_ACTION_REGISTER_PROCESSING_TIME_TIMER_VALUE ->
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, time);
        case KeyedAction.KEYED_ACTION_DELETE_EVENT_TIME_TIMER_VALUE ->
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
        case KeyedAction.KEYED_ACTION_DELETE_PROCESSING_TIME_TIMER_VALUE ->
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, time);
        default ->
            throw new PythonFunctionException(
                describe + ": worker sent unknown output action " + action);
      }
    } finally {
      if (previousKey != null) {
        keys.setCurrentKey(previousKey);
      }
    }
  }
}
