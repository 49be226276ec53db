"""Python functions the operator tests call through a real worker."""
import logging
import os
import signal
import tempfile
import time

log = logging.getLogger("test_udfs")

# Named after the JVM that started the worker, so parallel test runs do not see each other's.
STALLED_PID_FILE = os.path.join(tempfile.gettempdir(), f"fnharness-stalled-worker-{os.getppid()}.pid")


def add_one(x):
    return None if x is None else x + 1


def describe(name, score):
    if name is None:
        return None
    return f"{name}:{score}"


def is_even(x):
    return x % 2 == 0


def fail_on_13(x):
    if x == 13:
        raise ValueError(f"thirteen is unlucky (x={x})")
    return x


def log_and_print(x):
    log.warning("saw %s", x)
    print(f"printed {x}")
    return x


def stall_at_500(x):
    """At x == 500 tell the test our pid, then hang so the test can kill us mid-bundle."""
    if x == 500:
        with open(STALLED_PID_FILE + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.replace(STALLED_PID_FILE + ".tmp", STALLED_PID_FILE)
        time.sleep(120)
    return x


def upper(s):
    return None if s is None else s.upper()


def concat(*parts):
    return "".join("None" if p is None else str(p) for p in parts)


def times(x, n):
    return None if x is None else x * n


# -- table functions -----------------------------------------------------------------------------

def words(line):
    """One row per word; none for None or a blank line."""
    if line:
        yield from line.split()


def words_with_length(line):
    for word in (line or "").split():
        yield word, len(word)


def count_up(n):
    """0 .. n-1: no rows for 0, many for a large n."""
    return range(n)


def fail_on_word_13(line):
    for word in line.split():
        if word == "13":
            raise ValueError(f"no 13 in {line!r}")
        yield word


def yields_a_scalar(line):
    yield line


def worker_pid(x):
    """Which worker process ran the row: operators that share a worker see the same pid."""
    return os.getpid()


def slow(x):
    """A few ms per row: keeps a job running until the test cancels it."""
    time.sleep(0.005)
    return x


# Named after the JVM that started the worker, like STALLED_PID_FILE.
GATE_FILE = os.path.join(tempfile.gettempdir(), f"fnharness-gate-{os.getppid()}")


def add_one_gated_at_0(x):
    """add_one, but row 0 waits (at most 20 s) until the test creates GATE_FILE: keeps its
    bundle in the worker while the test sends more."""
    if x == 0:
        deadline = time.monotonic() + 20
        while not os.path.exists(GATE_FILE) and time.monotonic() < deadline:
            time.sleep(0.01)
    return add_one(x)


def add_one_dies_once_at(x, at, marker):
    """add_one; at x == at, unless ``marker`` exists, creates it, lets the runner go on for a
    moment (so that the next bundle fills too) and kills this worker with SIGKILL."""
    if x == at and not os.path.exists(marker):
        with open(marker, "w"):
            pass
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)
    return add_one(x)
