package dev.fnharness.harness;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.GetProvisionInfoRequest;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.GetProvisionInfoResponse;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.ProvisionInfo;
import org.apache.beam.model.fnexecution.v1.ProvisionServiceGrpc;
import org.apache.beam.model.pipeline.v1.Endpoints.ApiServiceDescriptor;

/** Answers each worker's {@code GetProvisionInfo} with the endpoints and options put here for it. */
final class ProvisionServer extends ProvisionServiceGrpc.ProvisionServiceImplBase {

  private final Map<String, ProvisionInfo> infoByWorker = new ConcurrentHashMap<>();

  /** Builds the info the contract defines: one endpoint for all services, files and log level. */
  static ProvisionInfo provisionInfo(
      String workerId, String endpoint, List<String> pythonFiles, String logLevel) {
    ListValue.Builder files = ListValue.newBuilder();
    for (String file : pythonFiles) {
      files.addValues(Value.newBuilder().setStringValue(file));
    }
    Struct options =
        Struct.newBuilder()
            .putFields("python.files", Value.newBuilder().setListValue(files).build())
            .putFields("log_level", Value.newBuilder().setStringValue(logLevel).build())
            .build();
    ApiServiceDescriptor descriptor = ApiServiceDescriptor.newBuilder().setUrl(endpoint).build();
    return ProvisionInfo.newBuilder()
        .setControlEndpoint(descriptor)
        .setLoggingEndpoint(descriptor)
        .setPipelineOptions(options)
        .build();
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
