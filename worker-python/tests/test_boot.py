import os
import re
from concurrent import futures

import grpc
import pytest

from conftest import WORKER_DIR
from fnharness_worker import boot, protos, worker_token
from fnharness_worker.entry import REQUIREMENTS


def test_python_files_become_sys_path_entries_in_order(tmp_path):
    (tmp_path / "a.py").write_text("A = 1\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "b.py").write_text("B = 2\n")
    staging = tmp_path / "staging"
    made = []

    def make_staging_dir():
        made.append(1)
        staging.mkdir()
        return str(staging)

    files = [str(tmp_path / "lib"), str(tmp_path / "a.py"), str(tmp_path / "deps.zip"),
             str(tmp_path / "lib" / "b.py"), str(tmp_path / "missing.py"), str(tmp_path / "notes.txt")]
    entries, staging_dir = boot.python_path_entries(files, make_staging_dir)
    assert entries == [str(tmp_path / "lib"), str(staging), str(tmp_path / "deps.zip")]
    assert staging_dir == str(staging)
    assert made == [1]
    assert sorted(os.listdir(staging)) == ["a.py", "b.py"]


def test_no_staging_directory_without_py_files(tmp_path):
    entries, staging_dir = boot.python_path_entries([str(tmp_path)], lambda: 1 / 0)
    assert entries == [str(tmp_path)] and staging_dir is None


def test_pipeline_options():
    info = protos.ProvisionInfo()
    assert boot.pipeline_options(info) == ([], "INFO")
    info.pipeline_options.update({"python.files": ["/x/a.py", "/y"], "log_level": "DEBUG"})
    assert boot.pipeline_options(info) == (["/x/a.py", "/y"], "DEBUG")


def test_requirements_txt_and_pyproject_match_the_install_hint():
    with open(os.path.join(WORKER_DIR, "requirements.txt")) as f:
        listed = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    assert listed == list(REQUIREMENTS)
    for requirement in listed:
        assert re.fullmatch(r"[a-z]+>=[0-9.]+", requirement)
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    with open(os.path.join(WORKER_DIR, "pyproject.toml"), "rb") as f:
        assert tomllib.load(f)["project"]["dependencies"] == list(REQUIREMENTS)


class MetadataRecorder:
    """A server with one method of each kind, recording the metadata of every call."""

    KINDS = ("unary_unary", "unary_stream", "stream_unary", "stream_stream")

    def __init__(self):
        self.seen = {}
        echo = dict(request_deserializer=bytes, response_serializer=bytes)

        def record(kind, context):
            self.seen[kind] = dict(context.invocation_metadata())

        def unary_unary(request, context):
            record("unary_unary", context)
            return b"ok"

        def unary_stream(request, context):
            record("unary_stream", context)
            yield b"ok"

        def stream_unary(requests, context):
            record("stream_unary", context)
            list(requests)
            return b"ok"

        def stream_stream(requests, context):
            record("stream_stream", context)
            for _ in requests:
                yield b"ok"

        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self.server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("test.Recorder", {
            "UnaryUnary": grpc.unary_unary_rpc_method_handler(unary_unary, **echo),
            "UnaryStream": grpc.unary_stream_rpc_method_handler(unary_stream, **echo),
            "StreamUnary": grpc.stream_unary_rpc_method_handler(stream_unary, **echo),
            "StreamStream": grpc.stream_stream_rpc_method_handler(stream_stream, **echo)})])
        self.url = f"127.0.0.1:{self.server.add_insecure_port('127.0.0.1:0')}"
        self.server.start()

    def call_each_kind(self, channel):
        """Every kind of call, each with the worker_id metadata the worker's own calls carry."""
        plain = dict(request_serializer=bytes, response_deserializer=bytes)
        metadata = (("worker_id", "w1"),)
        assert channel.unary_unary("/test.Recorder/UnaryUnary", **plain)(b"x", metadata=metadata) == b"ok"
        assert list(channel.unary_stream("/test.Recorder/UnaryStream", **plain)(b"x", metadata=metadata)) == [b"ok"]
        assert channel.stream_unary("/test.Recorder/StreamUnary", **plain)(iter([b"x"]), metadata=metadata) == b"ok"
        assert list(channel.stream_stream("/test.Recorder/StreamStream", **plain)(
            iter([b"x"]), metadata=metadata)) == [b"ok"]


@pytest.fixture
def recorder():
    started = MetadataRecorder()
    yield started
    started.server.stop(0)


def test_every_kind_of_call_to_the_runner_carries_the_token_beside_the_worker_id(recorder):
    # Provision is unary, artifacts unary-stream, Control / Data / Logging / State bidirectional.
    channel = boot._connect(recorder.url, "test", "t0ken")
    try:
        recorder.call_each_kind(channel)
    finally:
        channel.close()
    for kind in MetadataRecorder.KINDS:
        assert recorder.seen[kind]["fnharness-worker-token"] == "t0ken", kind
        assert recorder.seen[kind]["worker_id"] == "w1", kind


def test_without_a_token_calls_carry_none(recorder):
    channel = boot._connect(recorder.url, "test")
    try:
        recorder.call_each_kind(channel)
    finally:
        channel.close()
    assert all("fnharness-worker-token" not in recorder.seen[kind] for kind in MetadataRecorder.KINDS)


def test_the_token_leaves_the_environment_so_the_functions_children_do_not_inherit_it(monkeypatch):
    monkeypatch.setenv(worker_token.ENV, "t0ken")
    assert worker_token.take_from_environment() == "t0ken"
    assert worker_token.ENV not in os.environ
    assert worker_token.take_from_environment() is None
