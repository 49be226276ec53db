"""The Control stream: instructions in, responses out.

The main thread only reads the stream, so it notices at once when the runner goes away, even in
the middle of a long bundle. Instructions of one process bundle descriptor run one at a time, in
order, on that descriptor's thread (see ``run``).
"""
import logging
import queue
import threading
import traceback

import grpc

from . import logs, protos
from . import processors
from .functions import FunctionLoadError
from .keyed import KeyedFunctionProcessor
from .scalar import TRANSFORM_ID, BundleError, RegisterError

log = logging.getLogger(__name__)


class InstructionHandler:
    """Turns one InstructionRequest into its InstructionResponse."""

    def __init__(self, data, log_handler, python_files, state_clients=None):
        self._data = data
        self._log_handler = log_handler
        self._python_files = list(python_files)
        self._processors = {}  # process bundle descriptor id -> Scalar/Table/KeyedFunctionProcessor
        # url -> StateClient, opened when a keyed function first needs one (boot.StateClients)
        self._state_clients = state_clients

    def handle(self, request):
        response = protos.InstructionResponse()
        response.instruction_id = request.instruction_id
        kind = request.WhichOneof("request")
        # Log records of this thread (the function's, and import-time ones at register) carry it.
        logs.context.instruction_id = request.instruction_id
        try:
            if kind == "register":
                self._register(request.register)
                response.register.SetInParent()
            elif kind == "process_bundle":
                self._process_bundle(request.instruction_id, request.process_bundle)
                response.process_bundle.SetInParent()
            else:
                response.error = f"unsupported instruction: {kind or '(none)'}"
        except (FunctionLoadError, RegisterError, BundleError) as e:
            response.error = str(e)
        except Exception as e:  # a bug of ours or a broken stream: still answer, with details
            response.error = f"{kind} instruction failed: {type(e).__name__}: {e}\n\n{traceback.format_exc()}"
        finally:
            logs.context.instruction_id = ""
        if response.error:
            log.debug("instruction %s (%s) failed: %s", request.instruction_id, kind, response.error)
        return response

    def _register(self, register):
        for descriptor in register.process_bundle_descriptor:
            self._processors[descriptor.id] = self._processor(descriptor)

    def _processor(self, descriptor):
        transform = descriptor.transforms.get(TRANSFORM_ID)
        if transform is not None and transform.spec.urn == protos.KEYED_FUNCTION_URN and len(descriptor.transforms) == 1:
            if self._state_clients is None:
                raise RegisterError("keyed functions need the State service, which this worker was not given")
            return KeyedFunctionProcessor.from_descriptor(descriptor, self._python_files, self._state_clients)
        return processors.from_descriptor(descriptor, self._python_files)

    def _process_bundle(self, instruction_id, request):
        processor = self._processors.get(request.process_bundle_descriptor_id)
        if processor is None:
            self._data.done(instruction_id)
            raise BundleError(f"unknown process bundle descriptor '{request.process_bundle_descriptor_id}'"
                              " (not registered)")
        try:
            send = lambda data: self._data.send(instruction_id, TRANSFORM_ID, data)  # noqa: E731
            if isinstance(processor, KeyedFunctionProcessor):
                processor.process(self._data.input(instruction_id), send, instruction_id)
            else:
                processor.process(self._data.input(instruction_id), send)
            self._data.send(instruction_id, TRANSFORM_ID, is_last=True)
        finally:
            # On failure this also drops the rest of the bundle's input.
            self._data.done(instruction_id)
            logs.flush_stdio()
            if self._log_handler is not None:
                self._log_handler.flush()


def _lane_key(request):
    """Instructions of one process bundle descriptor share a lane; others get the "" lane."""
    kind = request.WhichOneof("request")
    if kind == "process_bundle":
        return request.process_bundle.process_bundle_descriptor_id
    if kind == "register" and request.register.process_bundle_descriptor:
        return request.register.process_bundle_descriptor[0].id
    return ""


def run(channel, worker_id, handler):
    """Serves the Control stream until it ends; returns why it ended.

    Each process bundle descriptor (each operator using this worker) has a lane: a queue and a
    thread that handles its instructions in order. Operators that share one worker (one slot)
    thus never wait for each other's open bundle, which could deadlock when one feeds the other.
    """
    responses = queue.SimpleQueue()
    lanes = {}

    def work(lane):
        while True:
            request = lane.get()
            if request is None:
                return
            responses.put(handler.handle(request))

    def lane_for(request):
        key = _lane_key(request)
        lane = lanes.get(key)
        if lane is None:
            lane = lanes[key] = queue.SimpleQueue()
            threading.Thread(target=work, args=(lane,), name=f"fnharness-instructions-{key or 'other'}",
                             daemon=True).start()
        return lane

    def response_stream():
        while True:
            response = responses.get()
            if response is None:
                return
            yield response

    call = channel.stream_stream(
        protos.CONTROL_METHOD,
        request_serializer=protos.InstructionResponse.SerializeToString,
        response_deserializer=protos.InstructionRequest.FromString,
    )(response_stream(), metadata=(("worker_id", worker_id),))
    try:
        for request in call:
            lane_for(request).put(request)
        return "the runner closed the Control stream"
    except grpc.RpcError as e:
        return f"the Control stream failed: {e.code()}: {e.details()}"
    finally:
        for lane in lanes.values():
            lane.put(None)
        responses.put(None)
        call.cancel()
