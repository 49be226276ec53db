"""Worker start-up: provision, sys.path, logging, channels; then the control loop.

Anything that fails before the Control stream is open is a start-up error: it is written to
the process's real stderr (the runner captures it) and the worker exits with code 1. Once the
Control stream is open, the worker runs until the stream ends and then exits with code 0.
"""
import argparse
import logging
import os
import shutil
import sys
import tempfile
import traceback

import grpc

from . import artifacts, control, dependencies, entry, logs, protos, worker_token
from .data import DataChannel
from .state_client import StateClients

log = logging.getLogger(__name__)

# Set by the worker pool: a pipe to write one line to once the worker has connected.
READY_FD_ENV = "FNHARNESS_READY_FD"
PROVISION_TIMEOUT = 30.0  # seconds for the runner to answer GetProvisionInfo
CONNECT_TIMEOUT = 30.0  # seconds for the Control / Logging endpoints to accept a connection
ARCHIVE_SUFFIXES = (".zip", ".whl", ".egg")

CHANNEL_OPTIONS = [
    # RowBatches can be large; the runner decides their size, not gRPC's 4 MB default.
    ("grpc.max_receive_message_length", -1),
    ("grpc.max_send_message_length", -1),
    # Our own connection per channel: Data must not share (and wait behind) Control's.
    ("grpc.use_local_subchannel_pool", 1),
]


class StartupError(Exception):
    pass


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="fnharness-worker",
        description="fnharness Python worker: runs Python functions for a Flink job over the Beam Fn API.")
    parser.add_argument("--id", required=True, help="worker id, sent as 'worker_id' gRPC metadata")
    parser.add_argument("--provision_endpoint", required=True, help="host:port of the runner's ProvisionService")
    parser.add_argument("--version", action="version", version=f"fnharness-worker {entry.version()}")
    return parser.parse_args(argv)


def get_provision_info(endpoint, worker_id, token=None):
    with worker_token.attach(grpc.insecure_channel(endpoint), token) as channel:
        get_info = channel.unary_unary(
            protos.PROVISION_METHOD,
            request_serializer=protos.GetProvisionInfoRequest.SerializeToString,
            response_deserializer=protos.GetProvisionInfoResponse.FromString)
        try:
            response = get_info(protos.GetProvisionInfoRequest(), metadata=(("worker_id", worker_id),),
                                timeout=PROVISION_TIMEOUT, wait_for_ready=True)
        except grpc.RpcError as e:
            raise StartupError(f"GetProvisionInfo at {endpoint} failed: {e.code()}: {e.details()}") from None
    return response.info


def pipeline_options(info):
    """(python.files, log_level) from ProvisionInfo.pipeline_options."""
    fields = info.pipeline_options.fields
    files = []
    if "python.files" in fields:
        files = [value.string_value for value in fields["python.files"].list_value.values]
    log_level = fields["log_level"].string_value if "log_level" in fields else ""
    return files, log_level or "INFO"


def dependency_options(info):
    """(requirements (file, find_links) or None, archives [(path, name)]) from pipeline_options."""
    fields = info.pipeline_options.fields
    requirements = None
    if "python.requirements" in fields:
        spec = fields["python.requirements"].struct_value.fields
        requirements = (spec["file"].string_value, spec["find_links"].string_value)
    archives = []
    if "python.archives" in fields:
        for value in fields["python.archives"].list_value.values:
            spec = value.struct_value.fields
            archives.append((spec["path"].string_value, spec["name"].string_value))
    return requirements, archives


def prepare_dependencies(info, worker_id, provision_endpoint, workdir, token=None):
    """Fetches shipped files, installs requirements, extracts archives.

    Returns (python.files as local paths, sys.path entries for the requirements). Archives are
    linked into ``workdir``, which then becomes the working directory.
    """
    python_files, _ = pipeline_options(info)
    requirements, archives = dependency_options(info)
    local = {}
    if len(info.dependencies):
        url = info.artifact_endpoint.url or provision_endpoint
        channel = _connect(url, "artifact", token)
        try:
            local = artifacts.fetch_all(channel, worker_id, info.dependencies, os.path.join(workdir, "artifacts"))
        finally:
            channel.close()
    here = lambda path: local.get(path, path)  # noqa: E731
    extra_entries = []
    if requirements:
        extra_entries.append(dependencies.install_requirements(here(requirements[0]), here(requirements[1])))
    if archives:
        dependencies.link_archives([(here(path), name) for path, name in archives], workdir)
        os.chdir(workdir)
    return [here(path) for path in python_files], extra_entries


def _signal_ready():
    fd = os.environ.pop(READY_FD_ENV, None)
    if fd:
        try:
            os.write(int(fd), b"ready\n")
            os.close(int(fd))
        except (OSError, ValueError):
            pass  # the pool gave up waiting; it will see us connected or exited anyway


def python_path_entries(python_files, make_staging_dir):
    """The sys.path entries for python.files, in their order (docs/protocol.md, "Start-up").

    ``.py`` files are copied into one staging directory (made by ``make_staging_dir`` when the
    first one comes), which takes the place of the first ``.py`` file; directories and
    ``.zip`` / ``.whl`` / ``.egg`` archives go on sys.path themselves. Returns (entries,
    staging dir or None).
    """
    entries = []
    staging = None
    staged_names = {}
    for path in python_files:
        if path.endswith(".py"):
            if not os.path.isfile(path):
                log.warning("python.files: %s is not a file; skipped", path)
                continue
            if staging is None:
                staging = make_staging_dir()
                entries.append(staging)
            name = os.path.basename(path)
            if name in staged_names:
                log.warning("python.files: %s replaces %s (same module name)", path, staged_names[name])
            staged_names[name] = path
            shutil.copyfile(path, os.path.join(staging, name))
        elif os.path.isdir(path) or path.endswith(ARCHIVE_SUFFIXES):
            if not os.path.exists(path):
                log.warning("python.files: %s does not exist; added to sys.path anyway", path)
            entries.append(path)
        else:
            log.warning("python.files: %s is neither a .py file, a directory nor a .zip/.whl/.egg; skipped", path)
    return entries, staging


def _set_log_level(name):
    level = logging.getLevelName(name.upper())
    if not isinstance(level, int):
        log.warning("log_level %r is not a Python logging level; using INFO", name)
        level = logging.INFO
    logging.getLogger().setLevel(level)


def _connect(url, what, token=None):
    """A channel to the runner, ready, sending ``token`` (if any) on every call."""
    channel = worker_token.attach(grpc.insecure_channel(url, options=CHANNEL_OPTIONS), token)
    try:
        grpc.channel_ready_future(channel).result(timeout=CONNECT_TIMEOUT)
    except grpc.FutureTimeoutError:
        channel.close()
        raise StartupError(f"cannot connect to the {what} endpoint {url} within {CONNECT_TIMEOUT:.0f} s") from None
    return channel


def _drop_working_directory_from_path():
    # `python -m` puts the directory the runner happened to start us in first on sys.path; a
    # module there could shadow the user's python.files, so only python.files decide.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]


def main(argv):
    args = parse_args(argv)
    _drop_working_directory_from_path()
    root = logging.getLogger()
    # Until the Logging stream is up, the worker's own messages go to the real stderr.
    boot_handler = logging.StreamHandler(sys.__stderr__)
    boot_handler.setFormatter(logging.Formatter(f"%(asctime)s %(levelname)s %(name)s [worker {args.id}] %(message)s"))
    root.addHandler(boot_handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)

    token = worker_token.take_from_environment()
    channels = []
    # Per worker: staged .py files, fetched artifacts, archive links. Removed at exit.
    workdir = tempfile.mkdtemp(prefix=f"fnharness-{args.id}-".replace(os.sep, "_"))
    try:
        info = get_provision_info(args.provision_endpoint, args.id, token)
        python_files, log_level = pipeline_options(info)
        _set_log_level(log_level)
        local_files, requirement_entries = prepare_dependencies(info, args.id, args.provision_endpoint, workdir, token)

        def make_staging_dir():
            staging = os.path.join(workdir, "files")
            os.mkdir(staging)
            return staging

        entries, _ = python_path_entries(local_files, make_staging_dir)
        sys.path[0:0] = entries + requirement_entries

        control_url = info.control_endpoint.url
        logging_url = info.logging_endpoint.url or control_url
        if not control_url:
            raise StartupError("ProvisionInfo has no control_endpoint.url")
        logging_channel = _connect(logging_url, "logging", token)
        channels.append(logging_channel)
        log_handler = logs.FnApiLogHandler(logging_channel, args.id)
        control_channel = _connect(control_url, "control", token)
        channels.append(control_channel)
        # Data uses the Control endpoint's address, but its own connection.
        data_channel = _connect(control_url, "data", token)
        channels.append(data_channel)
        data = DataChannel(data_channel, args.id)
    except Exception as e:
        known = (StartupError, artifacts.ArtifactError, dependencies.DependencyError)
        detail = str(e) if isinstance(e, known) else f"{type(e).__name__}: {e}\n{traceback.format_exc()}"
        sys.__stderr__.write(f"fnharness worker {args.id}: start-up failed: {detail}\n")
        sys.__stderr__.flush()
        for channel in channels:
            channel.close()
        shutil.rmtree(workdir, ignore_errors=True)
        return 1

    _signal_ready()

    root.addHandler(log_handler)
    root.removeHandler(boot_handler)
    logs.redirect_stdio()
    log.info("worker %s started: Python %s (%s), python.files %s, sys.path %s",
             args.id, sys.version.split()[0], sys.executable, python_files, sys.path)
    state_clients = StateClients(lambda url: _connect(url, "state", token), args.id)
    try:
        handler = control.InstructionHandler(data, log_handler, python_files, state_clients)
        reason = control.run(control_channel, args.id, handler)
        log.info("worker %s exits: %s", args.id, reason)
    finally:
        state_clients.close()
        data.close()
        logs.restore_stdio()
        root.removeHandler(log_handler)
        log_handler.close()
        for channel in channels:
            channel.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0
