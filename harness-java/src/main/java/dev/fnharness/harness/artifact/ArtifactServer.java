package dev.fnharness.harness.artifact;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fnharness.harness.rpc.WorkerIdInterceptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.model.jobmanagement.v1.ArtifactApi.GetArtifactRequest;
import org.apache.beam.model.jobmanagement.v1.ArtifactApi.GetArtifactResponse;
import org.apache.beam.model.jobmanagement.v1.ArtifactApi.ResolveArtifactsRequest;
import org.apache.beam.model.jobmanagement.v1.ArtifactApi.ResolveArtifactsResponse;
import org.apache.beam.model.jobmanagement.v1.ArtifactRetrievalServiceGrpc;
import org.apache.beam.model.pipeline.v1.RunnerApi.ArtifactInformation;
import org.apache.beam.model.pipeline.v1.RunnerApi.ArtifactStagingToRolePayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves each worker the files of its own {@link WorkerArtifacts} and nothing else: a worker asks
 * by staged name, never by path, so it cannot read arbitrary files of this machine. Chunks are sent
 * as the worker takes them (gRPC flow control), so a large archive never sits in memory.
 */
public final class ArtifactServer
    extends ArtifactRetrievalServiceGrpc.ArtifactRetrievalServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactServer.class);
  private static final int CHUNK_BYTES = 1 << 20;

  private final Map<String, WorkerArtifacts> artifactsByWorker = new ConcurrentHashMap<>();

  public void provide(String workerId, WorkerArtifacts artifacts) {
    artifactsByWorker.put(workerId, artifacts);
  }

  public void forget(String workerId) {
    artifactsByWorker.remove(workerId);
  }

  @Override
  public void resolveArtifacts(
      ResolveArtifactsRequest request, StreamObserver<ResolveArtifactsResponse> response) {
    // Our artifacts are plain files already: each resolves to itself.
    response.onNext(
        ResolveArtifactsResponse.newBuilder()
            .addAllReplacements(request.getArtifactsList())
            .build());
    response.onCompleted();
  }

  @Override
  public void getArtifact(
      GetArtifactRequest request, StreamObserver<GetArtifactResponse> responseObserver) {
    String workerId = WorkerIdInterceptor.currentWorkerId();
    WorkerArtifacts artifacts = artifactsByWorker.get(workerId);
    String stagedName = stagedName(request.getArtifact());
    Path path = artifacts == null || stagedName == null ? null : artifacts.path(stagedName);
    if (path == null) {
      responseObserver.onError(
          Status.NOT_FOUND
              .withDescription(
                  "worker '" + workerId + "' has no artifact with staged name '" + stagedName + "'")
              .asRuntimeException());
      return;
    }
    InputStream in;
    try {
      in = Files.isDirectory(path) ? DirectoryZipStream.open(path) : Files.newInputStream(path);
    } catch (IOException e) {
      responseObserver.onError(
          Status.UNAVAILABLE
              .withDescription("cannot read " + path + ": " + e)
              .asRuntimeException());
      return;
    }
    new ChunkSender(
            (ServerCallStreamObserver<GetArtifactResponse>) responseObserver, in, path.toString())
        .start();
  }

  private static String stagedName(ArtifactInformation artifact) {
    if (!WorkerArtifacts.STAGING_ROLE_URN.equals(artifact.getRoleUrn())) {
      return null;
    }
    try {
      return ArtifactStagingToRolePayload.parseFrom(artifact.getRolePayload()).getStagedName();
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** Sends one stream's chunks whenever gRPC says the call can take more. */
  private static final class ChunkSender implements Runnable {

    private final ServerCallStreamObserver<GetArtifactResponse> call;
    private final InputStream in;
    private final String what;
    private boolean done;

    ChunkSender(ServerCallStreamObserver<GetArtifactResponse> call, InputStream in, String what) {
      this.call = call;
      this.in = in;
      this.what = what;
    }

    void start() {
      call.setOnCancelHandler(this::closeInput);
      call.setOnReadyHandler(this);
    }

    @Override
    public synchronized void run() {
      byte[] buffer = new byte[CHUNK_BYTES];
      try {
        while (!done && call.isReady()) {
          int read = in.readNBytes(buffer, 0, buffer.length);
          if (read > 0) {
            call.onNext(
                GetArtifactResponse.newBuilder()
                    .setData(ByteString.copyFrom(buffer, 0, read))
                    .build());
          }
          if (read < buffer.length) {
            done = true;
            closeInput();
            call.onCompleted();
          }
        }
      } catch (IOException e) {
        done = true;
        closeInput();
        LOG.warn("Sending artifact {} failed", what, e);
        call.onError(
            Status.UNAVAILABLE
                .withDescription("reading " + what + " failed: " + e)
                .asRuntimeException());
      }
    }

    private void closeInput() {
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }
}
