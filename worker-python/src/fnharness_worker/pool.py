"""``fnharness-worker-pool --host 127.0.0.1 --port N [--token-file FILE]`` (the wheel's console
script), or ``python -m fnharness_worker.pool`` with the same arguments.

An external worker pool (``python.worker.mode: external``). It implements Beam's
BeamFnExternalWorkerPool service:

- ``StartWorker`` starts ``python -m fnharness_worker`` (this interpreter) as a child process for
  the requested worker id and answers once that worker has connected to the runner, or with its
  exit code and output if it died first, so the runner reports a failed start at once.
- ``StopWorker`` ends the worker (it normally exits by itself once the runner closes its Control
  stream) and, if it had died, answers with its exit code and last output.

Worker output goes to this pool's stderr, each line prefixed with the worker id.

Security: a worker runs the code the runner sends, so whoever can call StartWorker can run any
code as this pool's user. Bound to a loopback address, that is the users of this machine. Bound
to any other address the pool requires a shared secret (``--token-file FILE`` or env
``FNHARNESS_POOL_TOKEN``), which the runner sends as gRPC metadata ``fnharness-pool-token``
(``python.worker.external.token`` / ``token-file``), and refuses to start without one. The token
travels in plain text (no TLS): use a non-loopback pool only on a network you trust.

A runner that other machines can reach (the pool on another host) sends each worker's own token in
``StartWorkerRequest.params["fnharness-worker-token"]``; the pool passes it to that worker in its
environment (``worker_token.ENV``), and the worker sends it on every call to the runner.
"""
import argparse
import collections
import hmac
import ipaddress
import logging
import os
import select
import signal
import site
import socket
import subprocess
import sys
import threading
from concurrent import futures

import grpc

from . import entry, protos, worker_token

log = logging.getLogger("fnharness_worker.pool")

TOKEN_ENV = "FNHARNESS_POOL_TOKEN"
TOKEN_HEADER = "fnharness-pool-token"
READY_FD_ENV = "FNHARNESS_READY_FD"  # boot.READY_FD_ENV; not imported: boot needs a full set-up
READY_TIMEOUT = 300.0  # upper bound; the runner's start-up deadline usually ends the wait first
STOP_GRACE = 2.0  # seconds a worker gets to exit by itself once StopWorker arrives
TAIL_LINES = 50
FINISHED_KEPT = 200  # exited workers remembered for StopWorker's report
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _installed():
    """Whether this package was pip-installed (its root is a site directory): then every Python
    with this environment finds it, and the worker needs no PYTHONPATH (which would put the site
    directory before the standard library)."""
    return PACKAGE_ROOT in {os.path.abspath(p) for p in site.getsitepackages() + [site.getusersitepackages()]}


def exit_status(code):
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"SIG{-code}"
        return f"killed by signal {-code} ({name})"
    return f"exit code {code}"


class Worker:
    """One worker process with the tail of its output."""

    def __init__(self, worker_id, provision_endpoint, token=None):
        self.worker_id = worker_id
        self.tail = collections.deque(maxlen=TAIL_LINES)
        self.stopped_by_pool = False
        ready_read, ready_write = os.pipe()
        env = dict(os.environ)
        # The pool's own secret is not the worker's: its functions could read it.
        env.pop(TOKEN_ENV, None)
        env.pop(worker_token.ENV, None)
        if token:
            env[worker_token.ENV] = token  # not in argv, where ps shows it
        if not _installed():
            env["PYTHONPATH"] = os.pathsep.join([PACKAGE_ROOT] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        env["PYTHONUNBUFFERED"] = "1"
        env[READY_FD_ENV] = str(ready_write)
        self.command = [sys.executable, "-m", "fnharness_worker", "--id", worker_id,
                        "--provision_endpoint", provision_endpoint]
        try:
            self.process = subprocess.Popen(self.command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, pass_fds=(ready_write,))
        finally:
            os.close(ready_write)
        self._ready = ready_read
        self._pump = threading.Thread(target=self._read_output, name=f"pool-output-{worker_id}", daemon=True)
        self._pump.start()

    def _read_output(self):
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.tail.append(line)
            sys.stderr.write(f"[{self.worker_id}] {line}\n")
        self.process.wait()

    def output(self):
        self._pump.join(1.0)  # the rest of a dead worker's pipe
        return "\n".join(self.tail) + "\n" if self.tail else "(nothing)\n"

    def await_ready(self, still_wanted):
        """"ready" once the worker says it connected, "exited" if its end of the pipe closed
        first (it died), "abandoned" if the runner stopped waiting."""
        waited = 0.0
        try:
            while waited < READY_TIMEOUT and still_wanted():
                readable, _, _ = select.select([self._ready], [], [], 0.5)
                waited += 0.5
                if readable:
                    return "ready" if os.read(self._ready, 16).startswith(b"ready") else "exited"
            return "abandoned"
        finally:
            os.close(self._ready)

    def stop(self, grace):
        """Ends the worker; returns a report if it had died (not if it ended as asked)."""
        if self.process.poll() is None:
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.stopped_by_pool = True
                self.process.terminate()
                try:
                    self.process.wait(1.0)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        code = self.process.returncode
        if self.stopped_by_pool or code == 0:
            return ""
        return f"worker '{self.worker_id}' had ended with {exit_status(code)}.\nIts output (last lines):\n{self.output()}"


class WorkerPool:
    def __init__(self, token):
        self._token = token
        self._lock = threading.Lock()
        self._live = {}
        self._finished = collections.OrderedDict()

    def _check_token(self, context):
        if self._token is None:
            return
        sent = dict(context.invocation_metadata()).get(TOKEN_HEADER, "")
        if not hmac.compare_digest(sent.encode(), self._token.encode()):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, f"missing or wrong '{TOKEN_HEADER}'")

    def start_worker(self, request, context):
        self._check_token(context)
        worker_id = request.worker_id
        endpoint = request.provision_endpoint.url
        if not worker_id or not endpoint:
            return protos.StartWorkerResponse(error="StartWorker needs worker_id and provision_endpoint.url")
        with self._lock:
            if worker_id in self._live:
                return protos.StartWorkerResponse(error=f"worker '{worker_id}' is already running in this pool")
            try:
                worker = Worker(worker_id, endpoint, request.params.get(worker_token.PARAM))
            except OSError as e:
                return protos.StartWorkerResponse(error=f"cannot start {sys.executable}: {e}")
            self._live[worker_id] = worker
        threading.Thread(target=self._forget_when_exited, args=(worker,), daemon=True).start()
        log.info("started worker %s (pid %d) for %s", worker_id, worker.process.pid, endpoint)
        outcome = worker.await_ready(context.is_active)
        if outcome == "ready":
            return protos.StartWorkerResponse()
        if outcome == "abandoned":
            worker.stop(0)
            return protos.StartWorkerResponse(error=f"worker '{worker_id}' did not connect in time; stopped")
        worker.process.wait()
        return protos.StartWorkerResponse(
            error=f"worker '{worker_id}' exited during start-up with {exit_status(worker.process.returncode)}"
                  f" ({' '.join(worker.command)}).\nIts output (last lines):\n{worker.output()}")

    def _forget_when_exited(self, worker):
        code = worker.process.wait()
        log.info("worker %s (pid %d) ended with %s", worker.worker_id, worker.process.pid, exit_status(code))
        with self._lock:
            if self._live.get(worker.worker_id) is worker:
                del self._live[worker.worker_id]
            self._finished[worker.worker_id] = worker
            while len(self._finished) > FINISHED_KEPT:
                self._finished.popitem(last=False)

    def stop_worker(self, request, context):
        self._check_token(context)
        with self._lock:
            worker = self._live.get(request.worker_id) or self._finished.get(request.worker_id)
        if worker is None:
            return protos.StopWorkerResponse(error=f"no worker '{request.worker_id}' in this pool")
        return protos.StopWorkerResponse(error=worker.stop(STOP_GRACE))

    def stop_all(self):
        with self._lock:
            workers = list(self._live.values())
        for worker in workers:
            worker.stop(0)

    def handler(self):
        return grpc.method_handlers_generic_handler(protos.WORKER_POOL_SERVICE, {
            "StartWorker": grpc.unary_unary_rpc_method_handler(
                self.start_worker, request_deserializer=protos.StartWorkerRequest.FromString,
                response_serializer=protos.StartWorkerResponse.SerializeToString),
            "StopWorker": grpc.unary_unary_rpc_method_handler(
                self.stop_worker, request_deserializer=protos.StopWorkerRequest.FromString,
                response_serializer=protos.StopWorkerResponse.SerializeToString),
        })


def is_loopback(host):
    """True only if every address ``host`` stands for is a loopback address."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def read_token(token_file):
    if token_file:
        try:
            with open(token_file) as f:
                token = f.read().strip()
        except OSError as e:
            raise SystemExit(f"fnharness worker pool: cannot read the token file: {e}") from None
        if not token:
            raise SystemExit(f"fnharness worker pool: the token file {token_file} is empty")
        return token
    return os.environ.get(TOKEN_ENV) or None


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="fnharness-worker-pool",
        description="fnharness external worker pool (BeamFnExternalWorkerPool). See the module doc for security.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, required=True, help="port to listen on; 0 picks a free one")
    parser.add_argument("--token-file", help=f"file holding the shared secret (else env {TOKEN_ENV});"
                                             " required unless --host is a loopback address")
    parser.add_argument("--version", action="version", version=f"fnharness-worker-pool {entry.version()}")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    token = read_token(args.token_file)
    if token is None and not is_loopback(args.host):
        sys.stderr.write(
            f"fnharness worker pool: refusing to listen on {args.host}, which is not a loopback address,"
            " without a shared secret: anyone who reaches the pool could run code as this user.\n"
            f"Give one with --token-file FILE or env {TOKEN_ENV}, and set python.worker.external.token"
            " (or python.worker.external.token-file) on the Flink side.\n")
        return 2
    pool = WorkerPool(token)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="pool"))
    server.add_generic_rpc_handlers((pool.handler(),))
    try:
        port = server.add_insecure_port(f"{args.host}:{args.port}")
    except RuntimeError as e:
        port, error = 0, e
    else:
        error = "address in use or not available"
    if not port:
        sys.stderr.write(f"fnharness worker pool: cannot listen on {args.host}:{args.port}: {error}\n")
        return 1
    server.start()
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    # Tests and scripts read the port from this line.
    print(f"fnharness worker pool listening on {args.host}:{port}" + (" (token required)" if token else ""), flush=True)
    done.wait()
    server.stop(1.0)
    pool.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
