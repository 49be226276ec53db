package dev.fnharness.harness.artifact;

import dev.fnharness.harness.WorkerDependencies;
import dev.fnharness.proto.Names;
import dev.fnharness.proto.ProtoNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.model.pipeline.v1.RunnerApi.ArtifactFilePayload;
import org.apache.beam.model.pipeline.v1.RunnerApi.ArtifactInformation;
import org.apache.beam.model.pipeline.v1.RunnerApi.ArtifactStagingToRolePayload;

/**
 * The files one worker may fetch over the Artifact Retrieval service: every path its {@link
 * WorkerDependencies} name, each under a staged name that cannot collide. A file travels as is, a
 * directory as a zip the worker unpacks (docs/protocol.md, "Artifacts").
 */
public final class WorkerArtifacts {

  static final String FILE_URN = "beam:artifact:type:file:v1";
  static final String DIRECTORY_URN = ProtoNames.urn(Names.ArtifactType.ZIPPED_DIRECTORY);
  static final String STAGING_ROLE_URN = "beam:artifact:role:staging_to:v1";

  private final List<ArtifactInformation> information = new ArrayList<>();
  private final Map<String, Path> byStagedName = new LinkedHashMap<>();

  private WorkerArtifacts() {}

  public static WorkerArtifacts none() {
    return new WorkerArtifacts();
  }

  public static WorkerArtifacts of(WorkerDependencies dependencies) {
    WorkerArtifacts artifacts = new WorkerArtifacts();
    Map<String, String> seen = new LinkedHashMap<>();
    for (WorkerDependencies.NamedPath entry : dependencies.paths()) {
      if (seen.containsKey(entry.path())) {
        continue;
      }
      Path path = Path.of(entry.path());
      String stagedName = seen.size() + "-" + path.getFileName();
      seen.put(entry.path(), stagedName);
      artifacts.add(path, stagedName);
    }
    return artifacts;
  }

  private void add(Path path, String stagedName) {
    information.add(
        ArtifactInformation.newBuilder()
            .setTypeUrn(Files.isDirectory(path) ? DIRECTORY_URN : FILE_URN)
            .setTypePayload(
                ArtifactFilePayload.newBuilder().setPath(path.toString()).build().toByteString())
            .setRoleUrn(STAGING_ROLE_URN)
            .setRolePayload(
                ArtifactStagingToRolePayload.newBuilder()
                    .setStagedName(stagedName)
                    .build()
                    .toByteString())
            .build());
    byStagedName.put(stagedName, path);
  }

  /** For {@code ProvisionInfo.dependencies}. */
  public List<ArtifactInformation> information() {
    return List.copyOf(information);
  }

  /** The local path behind a staged name, or {@code null} if this worker may not fetch it. */
  Path path(String stagedName) {
    return byStagedName.get(stagedName);
  }
}
