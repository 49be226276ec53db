"""Python logging and print() output to the runner, over the Fn API Logging stream.

The handler only appends to a bounded in-memory buffer; a gRPC thread drains it every
FLUSH_INTERVAL seconds (or sooner when asked, e.g. at the end of a bundle). So a slow or gone
runner never blocks the user's function: when the buffer is full, records are dropped and
counted, and the count is reported once there is room again.
"""
import io
import logging
import sys
import threading
import time

from . import protos

FLUSH_INTERVAL = 0.5
MAX_BUFFERED = 10000

_SEVERITIES = (  # (lowest Python level, Fn API severity), highest first
    (logging.CRITICAL, protos.SEVERITY["CRITICAL"]),
    (logging.ERROR, protos.SEVERITY["ERROR"]),
    (logging.WARNING, protos.SEVERITY["WARN"]),
    (logging.INFO, protos.SEVERITY["INFO"]),
    (logging.DEBUG, protos.SEVERITY["DEBUG"]),
)
_TRACE = protos.SEVERITY["TRACE"]

# The instruction the current thread works on; control.py sets it around each instruction.
context = threading.local()


def severity(levelno):
    for level, sev in _SEVERITIES:
        if levelno >= level:
            return sev
    return _TRACE


class FnApiLogHandler(logging.Handler):
    """Buffers log records and streams them as LogEntry.List on the Logging stream."""

    def __init__(self, channel, worker_id, max_buffered=MAX_BUFFERED, flush_interval=FLUSH_INTERVAL):
        super().__init__()
        self._max_buffered = max_buffered
        self._flush_interval = flush_interval
        self._buffer = []
        self._dropped = 0
        self._wake = threading.Event()
        self._closing = False
        self._trace_formatter = logging.Formatter()
        self._call = channel.stream_stream(
            protos.LOGGING_METHOD,
            request_serializer=protos.LogEntryList.SerializeToString,
            response_deserializer=protos.LogControl.FromString,
        )(self._requests(), metadata=(("worker_id", worker_id),))
        self._reader = threading.Thread(target=self._read_responses, name="fnharness-logging", daemon=True)
        self._reader.start()

    def emit(self, record):
        # Runs in the logging thread (often the user's function): format now, because the
        # arguments may change later, but leave building protos to the sender thread.
        try:
            trace = ""
            if record.exc_info:
                trace = self._trace_formatter.formatException(record.exc_info)
            if record.stack_info:
                trace = (trace + "\n" if trace else "") + record.stack_info
            entry = (
                severity(record.levelno), record.created, record.getMessage(), trace,
                record.name, record.threadName or "", getattr(context, "instruction_id", ""),
            )
        except Exception:
            self.handleError(record)
            return
        # Handler.handle() holds self.lock around emit(); _take() uses the same lock.
        if len(self._buffer) < self._max_buffered:
            self._buffer.append(entry)
        else:
            self._dropped += 1

    def flush(self):
        """Ask for the buffered records to be sent now; does not wait for the network."""
        # Called at every bundle end: waking the sender thread for nothing costs a thread switch
        # (and a turn of the GIL) per bundle. A record added meanwhile goes with the next round.
        if self._buffer or self._dropped:
            self._wake.set()

    def close(self, timeout=2.0):
        """Send what is buffered, end the stream and wait (at most ``timeout`` s) for the runner."""
        if not self._closing:
            self._closing = True
            self._wake.set()
            self._reader.join(timeout)
            if self._reader.is_alive():
                self._call.cancel()
        super().close()

    def _take(self):
        self.acquire()
        try:
            entries, self._buffer = self._buffer, []
            dropped, self._dropped = self._dropped, 0
        finally:
            self.release()
        if dropped:
            entries.append((
                protos.SEVERITY["WARN"], time.time(),
                f"{dropped} log records were dropped because the log buffer was full "
                f"({self._max_buffered} records): the runner does not read logs fast enough",
                "", "fnharness_worker.logs", threading.current_thread().name, ""))
        return entries

    def _requests(self):
        # gRPC pulls from this generator in its own thread, only as fast as the runner reads.
        while True:
            if not self._closing:
                self._wake.wait(self._flush_interval)
                self._wake.clear()
            entries = self._take()
            if entries:
                yield _to_proto(entries)
            elif self._closing:
                return

    def _read_responses(self):
        try:
            for _ in self._call:  # LogControl: nothing in it for us
                pass
        except Exception:  # the runner is gone; records now pile up and get dropped
            pass


def _to_proto(entries):
    batch = protos.LogEntryList()
    for sev, created, message, trace, name, thread, instruction_id in entries:
        entry = batch.log_entries.add()
        entry.severity = sev
        seconds = int(created)
        entry.timestamp.seconds = seconds
        entry.timestamp.nanos = int((created - seconds) * 1e9)
        entry.message = message
        if trace:
            entry.trace = trace
        entry.log_location = name
        entry.thread = thread
        if instruction_id:
            entry.instruction_id = instruction_id
    return batch


class LoggingStream(io.TextIOBase):
    """A text stream that logs each complete line to a logger (sys.stdout / sys.stderr)."""

    _inside = threading.local()  # set while we are logging, to break loops (see write())

    def __init__(self, logger_name, level, original):
        super().__init__()
        self._logger = logging.getLogger(logger_name)
        self._level = level
        self._original = original
        self._partial = ""
        self._lock = threading.Lock()

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        # Code that writes to the raw file descriptor (faulthandler, subprocesses) bypasses
        # logging anyway; the runner captures the process's raw output.
        return self._original.fileno()

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if getattr(self._inside, "active", False):
            # logging itself is writing (e.g. Handler.handleError printing to stderr): going
            # through logging again could loop forever, so use the real stream.
            self._original.write(s)
            return len(s)
        with self._lock:
            text = self._partial + s
            lines = text.split("\n")
            self._partial = lines.pop()
        for line in lines:
            self._log(line)
        return len(s)

    def flush(self):
        with self._lock:
            line, self._partial = self._partial, ""
        if line:
            self._log(line)

    def _log(self, line):
        self._inside.active = True
        try:
            self._logger.log(self._level, line)
        finally:
            self._inside.active = False


def redirect_stdio():
    """Send print() output through logging, as loggers 'stdout' (INFO) and 'stderr' (ERROR)."""
    sys.stdout = LoggingStream("stdout", logging.INFO, sys.__stdout__)
    sys.stderr = LoggingStream("stderr", logging.ERROR, sys.__stderr__)


def flush_stdio():
    """Logs the partial last lines of redirected stdout / stderr."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, LoggingStream):
            stream.flush()


def restore_stdio():
    flush_stdio()
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
