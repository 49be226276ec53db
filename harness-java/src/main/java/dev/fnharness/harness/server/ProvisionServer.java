package dev.fnharness.harness.server;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.fnharness.harness.WorkerDependencies;
import dev.fnharness.harness.WorkerSpec;
import dev.fnharness.harness.rpc.WorkerIdInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.GetProvisionInfoRequest;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.GetProvisionInfoResponse;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.ProvisionInfo;
import org.apache.beam.model.fnexecution.v1.ProvisionServiceGrpc;
import org.apache.beam.model.pipeline.v1.Endpoints.ApiServiceDescriptor;
import org.apache.beam.model.pipeline.v1.RunnerApi.ArtifactInformation;

/**
 * Answers each worker's {@code GetProvisionInfo} with the endpoints and options put here for it.
 */
public final class ProvisionServer extends ProvisionServiceGrpc.ProvisionServiceImplBase {

  private final Map<String, ProvisionInfo> infoByWorker = new ConcurrentHashMap<>();

  /** The info for a worker that uses {@code pythonFiles} in place. */
  static ProvisionInfo provisionInfo(
      String workerId, String endpoint, List<String> pythonFiles, String logLevel) {
    return provisionInfo(
        endpoint,
        new WorkerSpec(workerId, Duration.ZERO, logLevel, WorkerDependencies.of(pythonFiles)),
        List.of());
  }

  /**
   * Builds the info the contract defines: one endpoint for all services, the dependency options and
   * log level, and the artifacts to fetch (none when the worker uses the paths in place).
   */
  public static ProvisionInfo provisionInfo(
      String endpoint, WorkerSpec spec, List<ArtifactInformation> artifacts) {
    WorkerDependencies dependencies = spec.dependencies();
    Struct.Builder options =
        Struct.newBuilder()
            .putFields("python.files", strings(dependencies.pythonFiles()))
            .putFields("log_level", string(spec.logLevel()));
    if (dependencies.requirements() != null) {
      options.putFields(
          "python.requirements",
          Value.newBuilder()
              .setStructValue(
                  Struct.newBuilder()
                      .putFields("file", string(dependencies.requirements().file()))
                      .putFields("find_links", string(dependencies.requirements().findLinks())))
              .build());
    }
    if (!dependencies.archives().isEmpty()) {
      ListValue.Builder archives = ListValue.newBuilder();
      for (WorkerDependencies.Archive archive : dependencies.archives()) {
        archives.addValues(
            Value.newBuilder()
                .setStructValue(
                    Struct.newBuilder()
                        .putFields("path", string(archive.path()))
                        .putFields("name", string(archive.name()))));
      }
      options.putFields("python.archives", Value.newBuilder().setListValue(archives).build());
    }
    ApiServiceDescriptor descriptor = ApiServiceDescriptor.newBuilder().setUrl(endpoint).build();
    return ProvisionInfo.newBuilder()
        .setControlEndpoint(descriptor)
        .setLoggingEndpoint(descriptor)
        .setArtifactEndpoint(descriptor)
        .setPipelineOptions(options)
        .addAllDependencies(artifacts)
        .build();
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  private static Value strings(List<String> values) {
    ListValue.Builder list = ListValue.newBuilder();
    values.forEach(v -> list.addValues(string(v)));
    return Value.newBuilder().setListValue(list).build();
  }

  void provide(String workerId, ProvisionInfo info) {
    infoByWorker.put(workerId, info);
  }

  void forget(String workerId) {
    infoByWorker.remove(workerId);
  }

  @Override
  public void getProvisionInfo(
      GetProvisionInfoRequest request, StreamObserver<GetProvisionInfoResponse> response) {
    String workerId = WorkerIdInterceptor.currentWorkerId();
    ProvisionInfo info = infoByWorker.get(workerId);
    if (info == null) {
      response.onError(
          Status.NOT_FOUND
              .withDescription("no worker '" + workerId + "' is expected by this runner")
              .asRuntimeException());
      return;
    }
    response.onNext(GetProvisionInfoResponse.newBuilder().setInfo(info).build());
    response.onCompleted();
  }
}
