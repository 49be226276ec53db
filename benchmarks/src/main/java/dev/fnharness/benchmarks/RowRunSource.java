package dev.fnharness.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.types.Row;

/**
 * A bounded benchmark source of rows 0..count-1 for parallelism 1 that emits a run of rows per
 * poll. Flink's {@code DataGeneratorSource} emits one row per poll and pays the task's mailbox and
 * availability checks for each (~35 ns/row here), which a Kafka-like source reading a fetched batch
 * does not: so the harness measures the operator more than itself.
 */
final class RowRunSource implements Source<Row, RowRunSource.Range, Void> {

  private static final long serialVersionUID = 1L;
  private static final int ROWS_PER_POLL = 1024;

  /** Makes the row for a value; serializable, as the source is. */
  interface RowMaker extends LongFunction<Row>, java.io.Serializable {}

  private final long count;
  private final RowMaker rowMaker;

  RowRunSource(long count, RowMaker rowMaker) {
    this.count = count;
    this.rowMaker = rowMaker;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<Row, Range> createReader(SourceReaderContext context) {
    return new Reader(context, rowMaker);
  }

  @Override
  public SplitEnumerator<Range, Void> createEnumerator(SplitEnumeratorContext<Range> context) {
    return new Enumerator(context, new Range(0, count));
  }

  @Override
  public SplitEnumerator<Range, Void> restoreEnumerator(
      SplitEnumeratorContext<Range> context, Void checkpoint) {
    throw new UnsupportedOperationException("the benchmark source does not restore");
  }

  @Override
  public SimpleVersionedSerializer<Range> getSplitSerializer() {
    return new RangeSerializer();
  }

  @Override
  public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override
      public int getVersion() {
        return 1;
      }

      @Override
      public byte[] serialize(Void nothing) {
        return new byte[0];
      }

      @Override
      public Void deserialize(int version, byte[] serialized) {
        return null;
      }
    };
  }

  /** Values [next, end). */
  record Range(long next, long end) implements SourceSplit {
    @Override
    public String splitId() {
      return "rows";
    }
  }

  static final class RangeSerializer implements SimpleVersionedSerializer<Range> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Range range) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeLong(range.next());
        out.writeLong(range.end());
      }
      return bytes.toByteArray();
    }

    @Override
    public Range deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        return new Range(in.readLong(), in.readLong());
      }
    }
  }

  /** Hands the one range to the first reader that asks. */
  static final class Enumerator implements SplitEnumerator<Range, Void> {
    private final SplitEnumeratorContext<Range> context;
    private Range unassigned;

    Enumerator(SplitEnumeratorContext<Range> context, Range all) {
      this.context = context;
      this.unassigned = all;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String host) {
      if (unassigned != null) {
        context.assignSplit(unassigned, subtask);
        unassigned = null;
      }
      context.signalNoMoreSplits(subtask);
    }

    @Override
    public void addSplitsBack(List<Range> splits, int subtask) {
      unassigned = splits.get(0);
    }

    @Override
    public void addReader(int subtask) {}

    @Override
    public Void snapshotState(long checkpointId) {
      return null;
    }

    @Override
    public void close() {}
  }

  static final class Reader implements SourceReader<Row, Range> {
    private final SourceReaderContext context;
    private final RowMaker rowMaker;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    /** The values still to emit: [next, end). */
    private long next;

    private long end;
    private boolean noMoreRanges;

    Reader(SourceReaderContext context, RowMaker rowMaker) {
      this.context = context;
      this.rowMaker = rowMaker;
    }

    @Override
    public void start() {
      context.sendSplitRequest();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Row> output) {
      if (next < end) {
        long stop = Math.min(end, next + ROWS_PER_POLL);
        long value = next;
        while (value < stop) {
          output.collect(rowMaker.apply(value));
          value++;
        }
        next = value;
        if (next < end) {
          return InputStatus.MORE_AVAILABLE;
        }
      }
      if (noMoreRanges) {
        return InputStatus.END_OF_INPUT;
      }
      available = new CompletableFuture<>();
      return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<Range> snapshotState(long checkpointId) {
      List<Range> state = new ArrayList<>();
      if (next < end) {
        state.add(new Range(next, end));
      }
      return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return available;
    }

    @Override
    public void addSplits(List<Range> splits) {
      Range range = splits.get(0);
      next = range.next();
      end = range.end();
      available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreRanges = true;
      available.complete(null);
    }

    @Override
    public void close() {}
  }
}
