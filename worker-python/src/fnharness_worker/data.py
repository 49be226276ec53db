"""The Data stream: bundle input in, bundle output out.

Input for an instruction may arrive before its process_bundle request (docs/protocol.md,
"Data"), so inbound chunks go into a per-instruction inbox created by whichever comes first.
Inboxes are unbounded on purpose: one reader thread serves all instructions, and blocking it on
a full inbox of a later bundle would starve the current one. The runner bounds what it sends.
"""
import collections
import queue
import threading

from . import protos

# How many bytes of output to gather into one Elements message when several are waiting.
MAX_ELEMENTS_BYTES = 4 << 20
# Output chunks waiting for the network; a full queue slows the bundle down to the runner's pace.
MAX_PENDING_OUTPUT = 64
# Failed instructions whose late input we still expect (and drop); bounded like a cache.
MAX_DISCARDED = 1000

_END = object()  # the input's is_last


class DataStreamClosed(Exception):
    pass


class _Inbox:
    __slots__ = ("queue", "ended")

    def __init__(self):
        self.queue = queue.SimpleQueue()
        self.ended = False  # the reader has taken the is_last


class DataChannel:
    def __init__(self, channel, worker_id):
        self._lock = threading.Lock()
        self._inboxes = {}
        self._discarded = collections.OrderedDict()
        self._closed = None  # why the stream ended, once it has
        self._outbox = queue.Queue(MAX_PENDING_OUTPUT)
        self._call = channel.stream_stream(
            protos.DATA_METHOD,
            request_serializer=protos.Elements.SerializeToString,
            response_deserializer=protos.Elements.FromString,
        )(self._requests(), metadata=(("worker_id", worker_id),))
        self._reader = threading.Thread(target=self._read, name="fnharness-data-in", daemon=True)
        self._reader.start()

    # -- input -----------------------------------------------------------------------------------

    def _read(self):
        reason = "the runner closed the Data stream"
        try:
            for elements in self._call:
                for chunk in elements.data:
                    self._route(chunk.instruction_id, chunk.data, chunk.is_last)
        except Exception as e:  # grpc.RpcError when the runner goes away
            reason = f"the Data stream failed: {e}"
        with self._lock:
            self._closed = reason
            for inbox in self._inboxes.values():
                inbox.queue.put(DataStreamClosed(reason))

    def _route(self, instruction_id, data, is_last):
        with self._lock:
            if instruction_id in self._discarded:
                if is_last:
                    del self._discarded[instruction_id]
                return
            inbox = self._inbox(instruction_id)
            if data:
                inbox.queue.put(data)
            if is_last:
                inbox.queue.put(_END)

    def _inbox(self, instruction_id):
        # with self._lock held
        inbox = self._inboxes.get(instruction_id)
        if inbox is None:
            inbox = self._inboxes[instruction_id] = _Inbox()
            if self._closed is not None:
                inbox.queue.put(DataStreamClosed(self._closed))
        return inbox

    def input(self, instruction_id):
        """Yields the instruction's input chunks (bytes) until its is_last."""
        with self._lock:
            inbox = self._inbox(instruction_id)
        while True:
            item = inbox.queue.get()
            if item is _END:
                inbox.ended = True
                return
            if isinstance(item, DataStreamClosed):
                raise item
            yield item

    def done(self, instruction_id):
        """Forget a bundle's inbox; if it failed early, drop the rest of its input too."""
        with self._lock:
            inbox = self._inboxes.pop(instruction_id, None)
            if inbox is None or inbox.ended:
                return
            while True:  # is its is_last already here? Then nothing more will come.
                try:
                    if inbox.queue.get_nowait() is _END:
                        return
                except queue.Empty:
                    break
            self._discarded[instruction_id] = True
            if len(self._discarded) > MAX_DISCARDED:
                self._discarded.popitem(last=False)

    # -- output ----------------------------------------------------------------------------------

    def send(self, instruction_id, transform_id, data=b"", is_last=False):
        """Queues one output chunk; blocks while too much output waits for the network."""
        item = (instruction_id, transform_id, data, is_last)
        while True:
            if self._closed is not None:
                raise DataStreamClosed(self._closed)
            try:
                self._outbox.put(item, timeout=0.5)
                return
            except queue.Full:
                pass

    def _requests(self):
        # gRPC pulls from this generator in its own thread, as fast as the runner reads. Chunks
        # that are already waiting travel together (a bundle's last batch and its is_last).
        stop = False
        while not stop:
            item = self._outbox.get()
            if item is None:
                return
            items, size = [item], len(item[2])
            while size < MAX_ELEMENTS_BYTES:
                try:
                    item = self._outbox.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True  # after sending what we have
                    break
                items.append(item)
                size += len(item[2])
            elements = protos.Elements()
            for instruction_id, transform_id, data, is_last in items:
                chunk = elements.data.add()
                chunk.instruction_id = instruction_id
                chunk.transform_id = transform_id
                if data:
                    chunk.data = data
                if is_last:
                    chunk.is_last = True
            yield elements

    def close(self):
        """Stops the stream without waiting for pending output (used at shutdown)."""
        with self._lock:
            if self._closed is None:
                self._closed = "the worker is shutting down"
        try:
            self._outbox.put_nowait(None)
        except queue.Full:
            pass
        self._call.cancel()
