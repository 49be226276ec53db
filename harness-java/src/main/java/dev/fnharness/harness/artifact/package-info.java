/**
 * Beam's Artifact Retrieval service, for workers that cannot see the TaskManager's files (docker,
 * external): {@link dev.fnharness.harness.artifact.WorkerArtifacts} lists a worker's files, {@link
 * dev.fnharness.harness.artifact.ArtifactServer} serves only those, a directory as a zip ({@link
 * dev.fnharness.harness.artifact.DirectoryZipStream}). docs/protocol.md, "Artifacts".
 */
package dev.fnharness.harness.artifact;
