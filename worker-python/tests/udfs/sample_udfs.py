"""User functions for the worker tests (shipped to the worker through python.files)."""
import logging

log = logging.getLogger("sample_udfs")


def add(a, b):
    return None if a is None or b is None else a + b


def upper(s):
    return None if s is None else s.upper()


def fail_on_three(x):
    if x == 3:
        raise ValueError("three is not allowed")
    return x


def log_and_print(x):
    log.warning("saw %s", x)
    print("printed", x)
    try:
        raise KeyError("for the trace")
    except KeyError:
        log.exception("with a trace")
    return x


def wrong_type(x):
    return "not a number"


def constant():
    return 7


class Holder:
    @staticmethod
    def twice(x):
        return 2 * x


NOT_CALLABLE = 42


def sleep_forever(x):
    import time
    while True:
        time.sleep(0.01)
