package dev.fnharness.harness.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fnharness.harness.ProcessWorkerSpec;
import dev.fnharness.harness.RemoteWorker;
import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.WorkerDependencies;
import dev.fnharness.harness.bundle.ActiveBundle;
import dev.fnharness.proto.Column;
import dev.fnharness.proto.DataType;
import dev.fnharness.proto.Field;
import dev.fnharness.proto.Names;
import dev.fnharness.proto.ProtoNames;
import dev.fnharness.proto.PythonFunction;
import dev.fnharness.proto.RowBatch;
import dev.fnharness.proto.ScalarFunctionPayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;
import org.apache.beam.model.pipeline.v1.RunnerApi.FunctionSpec;
import org.apache.beam.model.pipeline.v1.RunnerApi.PTransform;

/** Builds specs, descriptors and row batches for tests against the real Python worker. */
public final class TestWorkers {

  static final String URN = ProtoNames.urn(Names.FunctionKind.SCALAR_FUNCTION);
  private static final AtomicInteger IDS = new AtomicInteger();

  private TestWorkers() {}

  public static String python() {
    return System.getProperty("fnharness.test.python", "python3");
  }

  public static String newWorkerId() {
    return "test-worker-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
  }

  public static ProcessWorkerSpec spec(String python, List<String> files, Duration startupTimeout) {
    return new ProcessWorkerSpec(newWorkerId(), python, files, startupTimeout, "INFO", Map.of());
  }

  public static ProcessWorkerSpec spec(List<String> files) {
    return spec(python(), files, Duration.ofSeconds(20));
  }

  /** Writes {@code <name>.py} into {@code dir} and returns its absolute path. */
  public static String module(Path dir, String name, String source) throws IOException {
    return Files.writeString(dir.resolve(name + ".py"), source).toAbsolutePath().toString();
  }

  /** A shell script standing in for the python executable. */
  public static String script(Path dir, String name, String body) throws IOException {
    Path script = dir.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script.toAbsolutePath().toString();
  }

  /** A descriptor with one BIGINT input column and one BIGINT function {@code module:qualname}. */
  public static ProcessBundleDescriptor bigintDescriptor(
      String id, String module, String qualname) {
    DataType bigint = DataType.newBuilder().setKind(DataType.Kind.BIGINT).build();
    ScalarFunctionPayload payload =
        ScalarFunctionPayload.newBuilder()
            .addInputColumns(Field.newBuilder().setName("x").setType(bigint))
            .addFunctions(
                PythonFunction.newBuilder()
                    .setModule(module)
                    .setQualname(qualname)
                    .addArgColumns(0)
                    .setResultType(bigint)
                    .setResultName("y"))
            .build();
    return ProcessBundleDescriptor.newBuilder()
        .setId(id)
        .putTransforms(
            "fn",
            PTransform.newBuilder()
                .setUniqueName("fn")
                .setSpec(FunctionSpec.newBuilder().setUrn(URN).setPayload(payload.toByteString()))
                .build())
        .build();
  }

  /** One BIGINT column; {@code null} entries become nulls. */
  public static ByteString bigints(Long... values) {
    Column.Builder column = Column.newBuilder();
    byte[] nulls = new byte[(values.length + 7) / 8];
    boolean anyNull = false;
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        anyNull = true;
        nulls[i / 8] |= (byte) (1 << (i % 8));
        column.addLongs(0);
      } else {
        column.addLongs(values[i]);
      }
    }
    if (anyNull) {
      column.setNulls(ByteString.copyFrom(nulls));
    }
    return RowBatch.newBuilder()
        .setRowCount(values.length)
        .addColumns(column)
        .build()
        .toByteString();
  }

  /** The first column of a BIGINT batch, nulls as {@code null}. */
  public static List<Long> firstColumn(ByteString batch) throws InvalidProtocolBufferException {
    RowBatch rows = RowBatch.parseFrom(batch);
    Column column = rows.getColumns(0);
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < rows.getRowCount(); i++) {
      boolean isNull =
          !column.getNulls().isEmpty() && (column.getNulls().byteAt(i / 8) & (1 << (i % 8))) != 0;
      values.add(isNull ? null : column.getLongs(i));
    }
    return values;
  }

  /**
   * Sends one bundle of BIGINTs through {@code descriptorId} and returns the first result column.
   */
  public static List<Long> runBundle(RemoteWorker worker, String descriptorId, Long... values)
      throws Exception {
    RecordingReceiver receiver = new RecordingReceiver();
    ActiveBundle bundle = worker.startBundle(descriptorId, "fn", receiver);
    bundle.send(bigints(values));
    bundle.finishInput();
    receiver.outcome.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(receiver.data).hasSize(1);
    return firstColumn(receiver.data.get(0));
  }

  /**
   * Calls {@code register} until the worker is found dead (a crash is detected asynchronously) and
   * returns that failure, or {@code null} if none came within {@code timeout}.
   */
  public static WorkerCrashedException awaitCrash(RemoteWorker worker, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        worker.register(bigintDescriptor("probe-crash", "math", "floor"), Duration.ofSeconds(10));
        Thread.sleep(100);
      } catch (WorkerCrashedException e) {
        return e;
      }
    }
    return null;
  }

  /** Everything {@link TestDependencies} wrote, as the worker takes it. */
  public static WorkerDependencies dependencies(TestDependencies deps) {
    return new WorkerDependencies(
        List.of(deps.pyFile.toString(), deps.packageDir.toString(), deps.zip.toString()),
        new WorkerDependencies.Requirements(
            deps.requirements.toString(), deps.wheelhouse.toString()),
        List.of(new WorkerDependencies.Archive(deps.archive.toString(), "model")));
  }

  /**
   * Waits until no child process of this JVM is alive: nothing a test started may outlive it. The
   * Docker engine the docker tests may have started serves the whole JVM and does not count.
   */
  public static void assertNoLiveChildProcesses() throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(5);
    while (liveChildren().findAny().isPresent() && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(liveChildren().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")))
        .as("child processes still alive")
        .isEmpty();
  }

  private static java.util.stream.Stream<ProcessHandle> liveChildren() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(p -> !dev.fnharness.harness.testing.TestDocker.isStartedEngine(p));
  }
}
