"""Fetches the user's files from the runner (docker and external modes).

Such a worker may not see the runner's files, so ProvisionInfo.dependencies lists every file and
directory that python.files, python.requirements and python.archives name, and the worker gets
each over ArtifactRetrievalService.GetArtifact, by its staged name. A directory comes as a zip
and is unpacked. The options keep naming the runner's paths; ``fetch_all`` returns the map from
those paths to the local copies (docs/protocol.md, "Artifacts").
"""
import logging
import os
import shutil
import zipfile

import grpc

from . import protos

log = logging.getLogger(__name__)

FETCH_TIMEOUT = 600.0  # seconds for one artifact; the runner streams it as fast as we read


class ArtifactError(Exception):
    pass


def _runner_path_and_staged_name(artifact):
    """(runner path, staged name) of a dependency, or raise ArtifactError."""
    if artifact.role_urn != protos.STAGING_ROLE_URN:
        raise ArtifactError(f"artifact with unsupported role {artifact.role_urn!r}")
    if artifact.type_urn not in (protos.FILE_ARTIFACT_URN, protos.ZIPPED_DIRECTORY_ARTIFACT_URN):
        raise ArtifactError(f"artifact with unsupported type {artifact.type_urn!r}")
    path = protos.ArtifactFilePayload.FromString(artifact.type_payload).path
    staged_name = protos.ArtifactStagingToRolePayload.FromString(artifact.role_payload).staged_name
    if not staged_name or os.path.basename(staged_name) != staged_name or staged_name in (".", ".."):
        raise ArtifactError(f"artifact {path!r} has an unusable staged name {staged_name!r}")
    return path, staged_name


def fetch_all(channel, worker_id, dependencies, target_dir):
    """Fetches every dependency into ``target_dir``; returns {runner path: local path}."""
    if not dependencies:
        return {}
    os.makedirs(target_dir, exist_ok=True)
    get_artifact = channel.unary_stream(
        protos.GET_ARTIFACT_METHOD,
        request_serializer=protos.GetArtifactRequest.SerializeToString,
        response_deserializer=protos.GetArtifactResponse.FromString)
    local = {}
    for artifact in dependencies:
        path, staged_name = _runner_path_and_staged_name(artifact)
        # Each in a directory of its own, under its own base name: a module file must keep its
        # name, and two files of one name from different directories must not collide.
        holder = os.path.join(target_dir, staged_name)
        os.makedirs(holder, exist_ok=True)
        destination = os.path.join(holder, os.path.basename(path.rstrip("/")) or "artifact")
        download = os.path.join(holder, ".download")
        try:
            with open(download, "wb") as out:
                for chunk in get_artifact(protos.GetArtifactRequest(artifact=artifact),
                                          metadata=(("worker_id", worker_id),), timeout=FETCH_TIMEOUT):
                    out.write(chunk.data)
        except grpc.RpcError as e:
            raise ArtifactError(f"fetching {path} from the runner failed: {e.code()}: {e.details()}") from None
        if artifact.type_urn == protos.ZIPPED_DIRECTORY_ARTIFACT_URN:
            os.makedirs(destination, exist_ok=True)  # an empty directory is an empty zip
            try:
                with zipfile.ZipFile(download) as archive:
                    archive.extractall(destination)  # zipfile drops '..' and absolute parts
            except zipfile.BadZipFile as e:
                raise ArtifactError(f"the directory {path} arrived as a broken zip: {e}") from None
            os.remove(download)
        else:
            os.replace(download, destination)
        local[path] = destination
        log.debug("fetched %s as %s", path, destination)
    return local


def remove(target_dir):
    shutil.rmtree(target_dir, ignore_errors=True)
