"""A runner in Python for the worker's integration tests: one gRPC server hosting Provision,
Control, Data and Logging on 127.0.0.1, driven by the test through queues."""
import queue
import subprocess
import sys
import threading
import time
from concurrent import futures

import grpc

from conftest import worker_env
from fnharness_worker import protos

FN_API = protos.FN_API
TIMEOUT = 10.0


def _stream_handler(fn, request_type, response_type):
    return grpc.stream_stream_rpc_method_handler(
        fn, request_deserializer=request_type.FromString, response_serializer=response_type.SerializeToString)


class FakeRunner:
    def __init__(self, python_files=(), log_level="INFO"):
        self.python_files = list(python_files)
        self.log_level = log_level
        self.metadata = {}  # method name -> worker_id metadata seen
        self.tokens = {}  # method name -> fnharness-worker-token metadata seen
        self.instructions = queue.Queue()  # runner -> worker
        self.responses = queue.Queue()  # worker -> runner
        self.data_to_worker = queue.Queue()
        self.data_from_worker = queue.Queue()  # Elements.Data
        self.log_entries = []
        self._log_lock = threading.Lock()
        self.control_connected = threading.Event()
        self._next_id = 0

        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=16), options=[
            ("grpc.max_receive_message_length", -1), ("grpc.max_send_message_length", -1)])
        self.server.add_generic_rpc_handlers([
            grpc.method_handlers_generic_handler(FN_API + ".ProvisionService", {
                "GetProvisionInfo": grpc.unary_unary_rpc_method_handler(
                    self._provision,
                    request_deserializer=protos.GetProvisionInfoRequest.FromString,
                    response_serializer=protos.GetProvisionInfoResponse.SerializeToString)}),
            grpc.method_handlers_generic_handler(FN_API + ".BeamFnControl", {
                "Control": _stream_handler(self._control, protos.InstructionResponse, protos.InstructionRequest)}),
            grpc.method_handlers_generic_handler(FN_API + ".BeamFnData", {
                "Data": _stream_handler(self._data, protos.Elements, protos.Elements)}),
            grpc.method_handlers_generic_handler(FN_API + ".BeamFnLogging", {
                "Logging": _stream_handler(self._logging, protos.LogEntryList, protos.LogControl)}),
        ])
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.worker = None

    # -- services --------------------------------------------------------------------------------

    def _worker_id(self, method, context):
        metadata = dict(context.invocation_metadata())
        self.metadata[method] = metadata.get("worker_id")
        self.tokens[method] = metadata.get("fnharness-worker-token")

    def _provision(self, request, context):
        self._worker_id("provision", context)
        info = protos.ProvisionInfo()
        info.control_endpoint.url = f"127.0.0.1:{self.port}"
        info.logging_endpoint.url = f"127.0.0.1:{self.port}"
        info.pipeline_options.update({"python.files": self.python_files, "log_level": self.log_level})
        return protos.GetProvisionInfoResponse(info=info)

    def _pump(self, request_iterator, sink):
        def read():
            try:
                for message in request_iterator:
                    sink(message)
            except Exception:
                pass
        threading.Thread(target=read, daemon=True).start()

    @staticmethod
    def _outgoing(source, context):
        while context.is_active():
            try:
                message = source.get(timeout=0.05)
            except queue.Empty:
                continue
            if message is None:
                return
            yield message

    def _control(self, request_iterator, context):
        self._worker_id("control", context)
        self._pump(request_iterator, self.responses.put)
        self.control_connected.set()
        yield from self._outgoing(self.instructions, context)

    def _data(self, request_iterator, context):
        self._worker_id("data", context)

        def sink(elements):
            for chunk in elements.data:
                self.data_from_worker.put(chunk)
        self._pump(request_iterator, sink)
        yield from self._outgoing(self.data_to_worker, context)

    def _logging(self, request_iterator, context):
        self._worker_id("logging", context)
        for batch in request_iterator:
            with self._log_lock:
                self.log_entries.extend(batch.log_entries)
        return
        yield

    # -- worker process --------------------------------------------------------------------------

    def start_worker(self, worker_id="worker-1", stderr_path=None, **env):
        self._stderr = open(stderr_path, "w+b") if stderr_path else subprocess.DEVNULL
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "fnharness_worker", "--id", worker_id,
             "--provision_endpoint", f"127.0.0.1:{self.port}"],
            env=worker_env(**env), stdout=subprocess.DEVNULL, stderr=self._stderr)
        if not self.control_connected.wait(15):
            raise AssertionError(f"worker did not connect its Control stream (exit code {self.worker.poll()})")

    def stop(self):
        self.server.stop(0)
        if self.worker is not None and self.worker.poll() is None:
            try:
                self.worker.wait(10)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait()

    # -- driving the worker ----------------------------------------------------------------------

    def new_id(self, prefix):
        self._next_id += 1
        return f"{prefix}-{self._next_id}"

    def instruct(self, request):
        """Sends one instruction and returns its response."""
        if not request.instruction_id:
            request.instruction_id = self.new_id("i")
        self.instructions.put(request)
        response = self.responses.get(timeout=TIMEOUT)
        assert response.instruction_id == request.instruction_id
        return response

    def register(self, input_columns, functions, descriptor_id="d1", operator_info=None):
        """input_columns: [(name, kind)]; functions: [(module, qualname, arg_columns, kind, result_name)];
        operator_info: an OperatorInfo sent in the transform's annotations."""
        payload = protos.ScalarFunctionPayload()
        for name, kind in input_columns:
            field = payload.input_columns.add(name=name)
            field.type.kind = kind
        for module, qualname, args, kind, result_name in functions:
            f = payload.functions.add(module=module, qualname=qualname, arg_columns=args, result_name=result_name)
            f.result_type.kind = kind
        request = protos.InstructionRequest()
        descriptor = request.register.process_bundle_descriptor.add(id=descriptor_id)
        transform = descriptor.transforms[protos.TRANSFORM_ID]
        transform.spec.urn = protos.SCALAR_FUNCTION_URN
        transform.spec.payload = payload.SerializeToString()
        if operator_info is not None:
            transform.annotations[protos.OPERATOR_INFO_ANNOTATION] = operator_info.SerializeToString()
        return self.instruct(request)

    def send_data(self, instruction_id, data=b"", is_last=False):
        elements = protos.Elements()
        elements.data.add(instruction_id=instruction_id, transform_id=protos.TRANSFORM_ID, data=data, is_last=is_last)
        self.data_to_worker.put(elements)

    def process_bundle(self, instruction_id, descriptor_id="d1"):
        """Sends the process_bundle instruction without waiting for its response."""
        request = protos.InstructionRequest(instruction_id=instruction_id)
        request.process_bundle.process_bundle_descriptor_id = descriptor_id
        self.instructions.put(request)

    def response(self):
        return self.responses.get(timeout=TIMEOUT)

    def output(self, instruction_id):
        """The bundle's output chunks (RowBatches) up to its is_last."""
        batches = []
        while True:
            chunk = self.data_from_worker.get(timeout=TIMEOUT)
            assert chunk.instruction_id == instruction_id
            assert chunk.transform_id == "fn"
            if chunk.is_last:
                assert chunk.data == b""
                return batches
            batches.append(protos.RowBatch.FromString(chunk.data))

    def wait_for_log(self, predicate, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._log_lock:
                found = [e for e in self.log_entries if predicate(e)]
            if found:
                return found[0]
            time.sleep(0.05)
        with self._log_lock:
            seen = [(e.log_location, e.message) for e in self.log_entries]
        raise AssertionError(f"no matching log entry; seen: {seen}")
