import logging
import threading
import time

from fnharness_worker import logs, protos



class FakeLoggingChannel:
    """Stands in for a grpc channel: the 'call' pulls the handler's requests as a runner would."""

    def __init__(self, reading=True):
        self.batches = []
        self.reading = threading.Event()
        if reading:
            self.reading.set()

    def stream_stream(self, method, request_serializer, response_deserializer):
        assert method == protos.LOGGING_METHOD

        def start(requests, metadata):
            assert metadata == (("worker_id", "w"),)
            return FakeCall(self, requests)
        return start


class FakeCall:
    def __init__(self, channel, requests):
        self.channel, self.requests = channel, requests

    def __iter__(self):
        self.channel.reading.wait()
        for batch in self.requests:
            self.channel.batches.append(protos.LogEntryList.FromString(batch.SerializeToString()))
        return iter(())

    def cancel(self):
        pass


def entries(channel):
    return [e for b in channel.batches for e in b.log_entries]


def make_logger(handler, name):
    logger = logging.getLogger(name)
    logger.propagate = False
    logger.handlers = [handler]
    logger.setLevel(logging.DEBUG)
    return logger


def test_records_become_log_entries_within_the_flush_interval():
    channel = FakeLoggingChannel()
    handler = logs.FnApiLogHandler(channel, "w", flush_interval=0.1)
    logger = make_logger(handler, "test.logs.fields")
    logs.context.instruction_id = "bundle-7"
    try:
        logger.info("hello %s", "there")
    finally:
        logs.context.instruction_id = ""
    logger.debug("no instruction")
    deadline = time.monotonic() + 5
    while len(entries(channel)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    first, second = entries(channel)
    assert (first.message, first.severity, first.log_location, first.instruction_id) == \
        ("hello there", protos.SEVERITY["INFO"], "test.logs.fields", "bundle-7")
    assert first.thread == threading.current_thread().name
    assert abs(first.timestamp.seconds + first.timestamp.nanos / 1e9 - time.time()) < 5
    assert (second.severity, second.instruction_id) == (protos.SEVERITY["DEBUG"], "")
    handler.close()


def test_full_buffer_drops_and_counts_instead_of_blocking():
    channel = FakeLoggingChannel(reading=False)  # a runner that does not read
    handler = logs.FnApiLogHandler(channel, "w", max_buffered=5, flush_interval=0.05)
    logger = make_logger(handler, "test.logs.drops")
    started = time.monotonic()
    for i in range(100):
        logger.warning("record %d", i)
    assert time.monotonic() - started < 1
    channel.reading.set()
    handler.close(timeout=5)
    got = entries(channel)
    assert [e.message for e in got[:5]] == [f"record {i}" for i in range(5)]
    assert got[5].message.startswith("95 log records were dropped")
    assert got[5].severity == protos.SEVERITY["WARN"]
    assert len(got) == 6


def test_severity_mapping():
    assert logs.severity(logging.CRITICAL) == protos.SEVERITY["CRITICAL"]
    assert logs.severity(logging.ERROR) == protos.SEVERITY["ERROR"]
    assert logs.severity(logging.WARNING) == protos.SEVERITY["WARN"]
    assert logs.severity(logging.INFO) == protos.SEVERITY["INFO"]
    assert logs.severity(logging.DEBUG) == protos.SEVERITY["DEBUG"]
    assert logs.severity(5) == protos.SEVERITY["TRACE"]


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


def test_logging_stream_logs_line_by_line():
    handler = ListHandler()
    make_logger(handler, "stdout")
    stream = logs.LoggingStream("stdout", logging.INFO, original=None)
    print("one\ntwo", end="", file=stream)
    assert handler.records == [("stdout", logging.INFO, "one")]
    print(" and more", file=stream)
    print("partial", end="", file=stream)
    stream.flush()
    assert [r[2] for r in handler.records] == ["one", "two and more", "partial"]
    logger = logging.getLogger("stdout")
    logger.handlers, logger.propagate = [], True
