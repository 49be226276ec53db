"""The State service as the worker uses it: the streams, the requests, the answers and the keys.

The State stream carries StateRequests out and StateResponses back, matched by id. Reading the
state of a whole batch of keys, or writing back a whole bundle, is one batched request
(``read_batch``, ``write_batch``; docs/protocol.md, "Batched state requests"): a Python gRPC
stream costs tens of microseconds per message, so one message per key would dominate. The
batches' contents are built by the cells (state_cells.py) and read back through
:class:`BatchResults`. Single reads use plain bag and multimap requests (:func:`get`). A key
travels as the bytes :func:`key_encoder` makes of it.
"""
import itertools
import logging
import queue
import struct
import threading

from . import columns, protos
from .errors import RegisterError

log = logging.getLogger(__name__)

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


class StateClients:
    """State streams by endpoint url, opened on first use: only keyed functions need one."""

    def __init__(self, connect, worker_id):
        self._connect = connect  # url -> a ready channel to the runner
        self._worker_id = worker_id
        self._lock = threading.Lock()  # descriptors' threads may ask at once
        self._clients = {}
        self._channels = []

    def __call__(self, url):
        with self._lock:
            client = self._clients.get(url)
            if client is None:
                channel = self._connect(url)
                self._channels.append(channel)
                client = self._clients[url] = StateClient(channel, self._worker_id)
            return client

    def close(self):
        with self._lock:
            for client in self._clients.values():
                client.close()
            for channel in self._channels:
                channel.close()


# -- single requests -----------------------------------------------------------------------------

_STATE_KEY_FIELD = {
    "bag": "bag_user_state",
    "entry": "multimap_user_state",
    "keys": "multimap_keys_user_state",
    "entries": "multimap_entries_user_state",
}


def get(instruction_id, kind, state_id, key, map_key=None):
    """A get StateRequest for one of our state keys.

    ``kind``: "bag" (bag_user_state), "entry" (multimap_user_state with ``map_key``), "keys"
    (multimap_keys_user_state) or "entries" (multimap_entries_user_state).
    """
    req = protos.StateRequest()
    req.instruction_id = instruction_id
    target = getattr(req.state_key, _STATE_KEY_FIELD[kind])
    target.transform_id = protos.TRANSFORM_ID
    target.user_state_id = state_id
    target.key = key
    if map_key is not None:
        target.map_key = map_key
    req.get.SetInParent()
    return req


# -- batched answers -----------------------------------------------------------------------------


class BatchResults:
    """Hands out a StateBatchResults answer in the order its reads were added."""

    def __init__(self, results):
        self._bags = list(results.bags)
        self._bag = 0
        self._counts = list(results.map_entry_counts)
        self._too_large = list(results.map_too_large)
        self._map_keys = list(results.map_keys)
        self._map_values = list(results.map_values)
        self._map = 0
        self._entry = 0

    def next_bags(self, n):
        start, self._bag = self._bag, self._bag + n
        if self._bag > len(self._bags):
            raise StateError(f"the runner answered {len(self._bags)} batched bag reads, fewer than asked")
        return self._bags[start:self._bag]

    def next_maps(self, n):
        start, self._map = self._map, self._map + n
        if self._map > len(self._counts) or self._map > len(self._too_large):
            raise StateError(f"the runner answered {len(self._counts)} batched map reads, fewer than asked")
        maps = []
        for count, too_large in zip(self._counts[start:self._map], self._too_large[start:self._map]):
            first, self._entry = self._entry, self._entry + count
            maps.append((self._map_keys[first:self._entry], self._map_values[first:self._entry], too_large))
        return maps


# -- keys ----------------------------------------------------------------------------------------

_KEY_ENCODERS = {
    columns.BIGINT: struct.Struct(">q").pack,
    columns.INT: struct.Struct(">q").pack,
    columns.DOUBLE: struct.Struct(">d").pack,
    columns.BOOLEAN: lambda value: b"\x01" if value else b"\x00",
    columns.STRING: str.encode,  # UTF-8
}


def key_encoder(kind):
    """The function giving the bytes that name a key of ``kind`` in state requests (the runner's
    StateKeyCodec decodes them)."""
    try:
        return _KEY_ENCODERS[kind]
    except KeyError:
        raise RegisterError(f"unsupported key type {columns.kind_name(kind)}") from None


def key_bytes(kind, value):
    return key_encoder(kind)(value)
