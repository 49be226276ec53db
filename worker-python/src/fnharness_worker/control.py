"""The Control stream: instructions in, responses out.

The main thread only reads the stream, so it notices at once when the runner goes away, even in
the middle of a long bundle. Instructions of one process bundle descriptor run one at a time, in
order, on that descriptor's thread (see ``run``), which also closes the descriptor's functions
when the worker ends.
"""
import logging
import queue
import threading
import time
import traceback

import grpc

from . import logs, protos
from .descriptors import RegisteredDescriptor
from .errors import BundleError, RegisterError

log = logging.getLogger(__name__)

# How long the worker waits, once the Control stream has ended, for its descriptors' threads to
# finish their bundle and close their functions. The runner ends a worker that has not exited
# 2 s after closing its Control stream.
CLOSE_TIMEOUT = 1.5


class InstructionHandler:
    """Turns one InstructionRequest into its InstructionResponse."""

    def __init__(self, data, log_handler, python_files, state_clients):
        self._data = data
        self._log_handler = log_handler
        self._python_files = list(python_files)
        self._state_clients = state_clients  # url -> StateClient, opened on first use
        self._lock = threading.Lock()  # descriptors' threads register and close at once
        self._descriptors = {}  # process bundle descriptor id -> RegisteredDescriptor

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
        except (RegisterError, BundleError) as e:
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
            registered = RegisteredDescriptor(descriptor, self._python_files, self._state_clients)
            with self._lock:
                replaced = self._descriptors.get(descriptor.id)
                self._descriptors[descriptor.id] = registered
            if replaced is not None:
                replaced.close()

    def _process_bundle(self, instruction_id, request):
        with self._lock:
            registered = self._descriptors.get(request.process_bundle_descriptor_id)
        if registered is None:
            self._data.done(instruction_id)
            raise BundleError(f"unknown process bundle descriptor '{request.process_bundle_descriptor_id}'"
                              " (not registered)")
        try:
            send = lambda data: self._data.send(instruction_id, protos.TRANSFORM_ID, data)  # noqa: E731
            processor = registered.processor()
            processor.process(registered.bundle(instruction_id, self._data.input(instruction_id), send))
            self._data.send(instruction_id, protos.TRANSFORM_ID, is_last=True)
        except BaseException:
            registered.close()  # the runner fails the operator with its bundle (lifecycle.py)
            raise
        finally:
            # On failure this also drops the rest of the bundle's input.
            self._data.done(instruction_id)
            logs.flush_stdio()
            if self._log_handler is not None:
                self._log_handler.flush()

    def close(self, descriptor_ids):
        """Closes the functions of the registered descriptors of ``descriptor_ids``."""
        with self._lock:
            closing = [d for d in self._descriptors.values() if d.id in descriptor_ids]
        for registered in closing:
            registered.close()

    def close_all_but(self, busy_ids):
        """Closes the functions of every registered descriptor but those of ``busy_ids``, whose
        threads still run a bundle."""
        with self._lock:
            closing = [d for d in self._descriptors.values() if d.id not in busy_ids]
        for registered in closing:
            registered.close()


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
    When the stream ends, each lane skips what is still queued and closes its descriptor's
    functions; ``run`` waits for that up to CLOSE_TIMEOUT, then closes the functions of
    descriptors without a lane of their own.
    """
    responses = queue.SimpleQueue()
    lanes = {}  # key -> (queue, thread)
    ended = threading.Event()

    def work(key, lane):
        try:
            while True:
                request = lane.get()
                if request is None:
                    return
                if not ended.is_set():  # no one would read the answer any more
                    responses.put(handler.handle(request))
        finally:
            handler.close([key])

    def lane_for(request):
        key = _lane_key(request)
        lane = lanes.get(key)
        if lane is None:
            instructions = queue.SimpleQueue()
            thread = threading.Thread(target=work, args=(key, instructions),
                                      name=f"fnharness-instructions-{key or 'other'}", daemon=True)
            lane = lanes[key] = (instructions, thread)
            thread.start()
        return lane[0]

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
        ended.set()
        for lane, _ in lanes.values():
            lane.put(None)
        responses.put(None)
        call.cancel()
        deadline = time.monotonic() + CLOSE_TIMEOUT
        for _, thread in lanes.values():
            thread.join(max(0.0, deadline - time.monotonic()))
        handler.close_all_but({key for key, (_, thread) in lanes.items() if thread.is_alive()})
