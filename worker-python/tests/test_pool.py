"""The external worker pool as a real process: start, stop, start-up failures, the token rule."""
import subprocess
import sys
import tempfile
from concurrent import futures

import grpc
import pytest

from conftest import UDF_DIR, worker_env
from fake_runner import FakeRunner
from fnharness_worker import pool, protos


class Pool:
    def __init__(self, *args, **env):
        self.stderr = tempfile.TemporaryFile(mode="w+")  # a pipe nobody reads could fill up
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fnharness_worker.pool", *args], env=worker_env(**env),
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self._address = None

    def address(self):
        if self._address is None:
            line = self.process.stdout.readline()
            self.stderr.seek(0)
            assert "listening on" in line, f"pool said {line!r}; stderr: {self.stderr.read()}"
            self._address = line.split("listening on ")[1].split()[0]
        return self._address

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def running_pool():
    started = Pool("--host", "127.0.0.1", "--port", "0")
    yield started
    started.stop()


def call(address, method, request, response_type, token=None):
    metadata = (("fnharness-pool-token", token),) if token else ()
    with grpc.insecure_channel(address) as channel:
        rpc = channel.unary_unary(f"/{protos.WORKER_POOL_SERVICE}/{method}",
                                  request_serializer=type(request).SerializeToString,
                                  response_deserializer=response_type.FromString)
        return rpc(request, metadata=metadata, timeout=30)


def start(address, worker_id, endpoint, token=None, worker_token=None):
    request = protos.StartWorkerRequest(worker_id=worker_id)
    request.provision_endpoint.url = endpoint
    if worker_token:
        request.params["fnharness-worker-token"] = worker_token
    return call(address, "StartWorker", request, protos.StartWorkerResponse, token)


def stop(address, worker_id, token=None):
    return call(address, "StopWorker", protos.StopWorkerRequest(worker_id=worker_id), protos.StopWorkerResponse, token)


def test_start_answers_once_the_worker_is_connected_and_stop_ends_it(running_pool):
    runner = FakeRunner(python_files=[f"{UDF_DIR}/sample_udfs.py"])
    try:
        address = running_pool.address()
        assert start(address, "pooled-1", f"127.0.0.1:{runner.port}").error == ""
        assert runner.control_connected.wait(5)
        assert runner.metadata["control"] == "pooled-1"
        assert start(address, "pooled-1", f"127.0.0.1:{runner.port}").error == \
            "worker 'pooled-1' is already running in this pool"
        runner.instructions.put(None)  # the runner closes Control: the worker exits by itself
        assert stop(address, "pooled-1").error == ""
    finally:
        runner.stop()


def worker_pid(pool_under_test, worker_id):
    pool_under_test.stderr.seek(0)
    for line in pool_under_test.stderr.read().splitlines():
        if f"started worker {worker_id} (pid " in line:
            return int(line.split("(pid ")[1].split(")")[0])
    raise AssertionError(f"the pool did not log the start of {worker_id}")


def test_the_runners_worker_token_reaches_the_worker_which_sends_it_on_every_call(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("pool-secret\n")
    # The pool's own secret from its environment must not reach the workers' functions.
    secured = Pool("--host", "127.0.0.1", "--port", "0", FNHARNESS_POOL_TOKEN="pool-secret")
    runner = FakeRunner(python_files=[f"{UDF_DIR}/sample_udfs.py"])
    try:
        address = secured.address()
        assert start(address, "tokened", f"127.0.0.1:{runner.port}", "pool-secret", "w0rker-t0ken").error == ""
        assert runner.control_connected.wait(5)
        pid = worker_pid(secured, "tokened")
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            assert b"w0rker-t0ken" not in f.read(), "the token shows in ps"
        with open(f"/proc/{pid}/environ", "rb") as f:
            assert b"pool-secret" not in f.read(), "the pool's token reached the worker"
        runner.wait_for_log(lambda e: "started" in e.message)  # the Logging stream is up too
        assert runner.tokens == {"provision": "w0rker-t0ken", "logging": "w0rker-t0ken", "data": "w0rker-t0ken",
                                 "control": "w0rker-t0ken"}
        runner.instructions.put(None)
        assert stop(address, "tokened", "pool-secret").error == ""
    finally:
        runner.stop()
        secured.stop()


def test_without_a_token_the_worker_sends_none(running_pool):
    runner = FakeRunner(python_files=[f"{UDF_DIR}/sample_udfs.py"])
    try:
        address = running_pool.address()
        assert start(address, "plain", f"127.0.0.1:{runner.port}").error == ""
        assert runner.control_connected.wait(5)
        assert runner.tokens["provision"] is None and runner.tokens["control"] is None
        runner.instructions.put(None)
        assert stop(address, "plain").error == ""
    finally:
        runner.stop()


class NoControlEndpoint:
    """A runner whose ProvisionInfo lacks the control endpoint: the worker exits with code 1."""

    def __init__(self):
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        self.server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(
            protos.FN_API + ".ProvisionService", {"GetProvisionInfo": grpc.unary_unary_rpc_method_handler(
                lambda request, context: protos.GetProvisionInfoResponse(info=protos.ProvisionInfo()),
                request_deserializer=protos.GetProvisionInfoRequest.FromString,
                response_serializer=protos.GetProvisionInfoResponse.SerializeToString)})])
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()


def test_a_worker_dying_at_start_up_is_reported_by_start_worker(running_pool):
    runner = NoControlEndpoint()
    try:
        error = start(running_pool.address(), "doomed", f"127.0.0.1:{runner.port}").error
    finally:
        runner.server.stop(0)
    assert "worker 'doomed' exited during start-up with exit code 1" in error
    assert "-m fnharness_worker --id doomed" in error
    assert "ProvisionInfo has no control_endpoint.url" in error
    assert "had ended with exit code 1" in stop(running_pool.address(), "doomed").error


def test_unknown_worker_stop_is_an_error(running_pool):
    assert stop(running_pool.address(), "nobody").error == "no worker 'nobody' in this pool"


def test_a_pool_with_a_token_refuses_calls_without_it(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("s3cret\n")
    secured = Pool("--host", "127.0.0.1", "--port", "0", "--token-file", str(token_file))
    try:
        address = secured.address()
        for token in (None, "wrong"):
            with pytest.raises(grpc.RpcError) as refused:
                stop(address, "w", token)
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert stop(address, "w", "s3cret").error == "no worker 'w' in this pool"
    finally:
        secured.stop()


def test_a_pool_on_a_non_loopback_address_needs_a_token():
    refused = Pool("--host", "0.0.0.0", "--port", "0")
    refused.process.communicate(timeout=20)
    refused.stderr.seek(0)
    err = refused.stderr.read()
    assert refused.process.returncode == 2
    assert "refusing to listen on 0.0.0.0" in err and "--token-file" in err and "python.worker.external.token" in err


@pytest.mark.parametrize("host,loopback", [
    ("127.0.0.1", True), ("127.5.0.1", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("10.1.2.3", False), ("192.168.0.1", False)])
def test_is_loopback(host, loopback):
    assert pool.is_loopback(host) is loopback
