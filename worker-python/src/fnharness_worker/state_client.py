"""The State stream: StateRequests out, StateResponses back, matched by id.

Reading the state of a whole batch of keys, or writing back a whole bundle, is one batched
request (``read_batch``, ``write_batch``; docs/protocol.md, "Batched state requests"): a Python
gRPC stream costs tens of microseconds per message, so one message per key would dominate. The
batches themselves are built by the cells (state_cells.py). Single reads use plain bag and
multimap requests.
"""
import itertools
import logging
import queue
import threading

from . import protos

log = logging.getLogger(__name__)

TRANSFORM_ID = protos.TRANSFORM_ID
_WRITES_KEY = protos.RunnerStateKey(writes=True).SerializeToString()


class StateError(Exception):
    """A state request failed or the State stream is gone; the message says which."""


class _Group:
    __slots__ = ("responses", "remaining", "done", "error")

    def __init__(self, size):
        self.responses = [None] * size
        self.remaining = size
        self.done = threading.Event()
        self.error = None


class StateClient:
    """One State stream to the runner (the descriptor's state_api_service_descriptor)."""

    def __init__(self, channel, worker_id):
        self._lock = threading.Lock()
        self._pending = {}  # request id -> (group, index)
        self._ids = itertools.count(1)
        self._closed = None  # why the stream ended, once it has
        self._outbox = queue.SimpleQueue()
        self._call = channel.stream_stream(
            protos.STATE_METHOD,
            request_serializer=protos.StateRequest.SerializeToString,
            response_deserializer=protos.StateResponse.FromString,
        )(self._requests(), metadata=(("worker_id", worker_id),))
        self._reader = threading.Thread(target=self._read, name="fnharness-state-in", daemon=True)
        self._reader.start()

    def _requests(self):
        while True:
            request = self._outbox.get()
            if request is None:
                return
            yield request

    def _read(self):
        reason = "the runner closed the State stream"
        try:
            for response in self._call:
                with self._lock:
                    entry = self._pending.pop(response.id, None)
                    if entry is None:
                        log.warning("state response for unknown request id %r", response.id)
                        continue
                    group, index = entry
                    group.responses[index] = response
                    group.remaining -= 1
                    if group.remaining == 0:
                        group.done.set()
        except Exception as e:  # grpc.RpcError when the runner goes away
            reason = f"the State stream failed: {e}"
        self._fail_all(reason)

    def _fail_all(self, reason):
        with self._lock:
            if self._closed is None:
                self._closed = reason
            pending, self._pending = self._pending, {}
        for group, _ in pending.values():
            group.error = reason
            group.done.set()

    def call(self, requests):
        """Sends ``requests`` (StateRequest messages with everything but ``id`` set) at once and
        returns their responses in the same order. Raises StateError for an error answer."""
        if not requests:
            return []
        group = _Group(len(requests))
        with self._lock:
            if self._closed is not None:
                raise StateError(self._closed)
            for index, request in enumerate(requests):
                request.id = str(next(self._ids))
                self._pending[request.id] = (group, index)
        for request in requests:
            self._outbox.put(request)
        group.done.wait()
        if group.error is not None:
            raise StateError(group.error)
        for response in group.responses:
            if response.error:
                raise StateError(response.error)
        return group.responses

    def get_all(self, requests):
        """Sends get ``requests`` and returns each one's whole data, following continuation
        tokens (the runner pages values larger than its chunk size)."""
        responses = self.call(requests)
        data = [[response.get.data] for response in responses]
        todo = [(i, responses[i].get.continuation_token) for i in range(len(requests))
                if responses[i].get.continuation_token]
        while todo:
            follow_ups = []
            for i, token in todo:
                request = protos.StateRequest()
                request.CopyFrom(requests[i])
                request.get.continuation_token = token
                follow_ups.append(request)
            answers = self.call(follow_ups)
            next_todo = []
            for (i, _), answer in zip(todo, answers):
                data[i].append(answer.get.data)
                if answer.get.continuation_token:
                    next_todo.append((i, answer.get.continuation_token))
            todo = next_todo
        return [b"".join(parts) for parts in data]

    def read_batch(self, instruction_id, reads):
        """The StateBatchResults answering ``reads`` (a StateBatchReads), in one batched request."""
        req = protos.StateRequest()
        req.instruction_id = instruction_id
        req.state_key.runner.key = protos.RunnerStateKey(reads=reads).SerializeToString()
        req.get.SetInParent()
        (data,) = self.get_all([req])
        return protos.StateBatchResults.FromString(data)

    def write_batch(self, instruction_id, writes):
        """Applies ``writes`` (a StateBatchWrites) in one batched request."""
        req = protos.StateRequest()
        req.instruction_id = instruction_id
        req.state_key.runner.key = _WRITES_KEY
        req.append.data = writes.SerializeToString()
        self.call([req])

    def close(self):
        self._fail_all("the worker is shutting down")
        self._outbox.put(None)
        self._call.cancel()


# -- state keys ----------------------------------------------------------------------------------


def request(instruction_id, kind, state_id, key, map_key=None):
    """A StateRequest (no operation set yet) for one of our state keys.

    ``kind``: "bag" (bag_user_state), "entry" (multimap_user_state with ``map_key``), "keys"
    (multimap_keys_user_state) or "entries" (multimap_entries_user_state).
    """
    req = protos.StateRequest()
    req.instruction_id = instruction_id
    target = getattr(req.state_key, _STATE_KEY_FIELD[kind])
    target.transform_id = TRANSFORM_ID
    target.user_state_id = state_id
    target.key = key
    if map_key is not None:
        target.map_key = map_key
    return req


_STATE_KEY_FIELD = {
    "bag": "bag_user_state",
    "entry": "multimap_user_state",
    "keys": "multimap_keys_user_state",
    "entries": "multimap_entries_user_state",
}


def get(instruction_id, kind, state_id, key, map_key=None):
    req = request(instruction_id, kind, state_id, key, map_key)
    req.get.SetInParent()
    return req


def append(instruction_id, kind, state_id, key, data, map_key=None):
    req = request(instruction_id, kind, state_id, key, map_key)
    req.append.data = data
    return req


def clear(instruction_id, kind, state_id, key, map_key=None):
    req = request(instruction_id, kind, state_id, key, map_key)
    req.clear.SetInParent()
    return req
