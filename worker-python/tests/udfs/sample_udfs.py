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


def str_at_501(x):
    return "abc" if x == 501 else x


class Holder:
    @staticmethod
    def twice(x):
        return 2 * x


NOT_CALLABLE = 42


def sleep_forever(x):
    import time
    while True:
        time.sleep(0.01)


def title(s):
    return None if s is None else s.title()


def join(*parts):
    return "-".join(map(str, parts))


def fail_on_two(x):
    if x == 2:
        raise ValueError("two is not allowed")
    return x


# -- table functions -----------------------------------------------------------------------------

def words(line):
    """One row per word; nothing for None or an empty line."""
    if line:
        yield from line.split()


def words_with_length(line):
    for word in (line or "").split():
        yield word, len(word)


def repeat(x, times):
    return [x] * times


def none_or_pair(x):
    return None if x % 2 else [(x, str(x)), (x + 1, str(x + 1))]


def count_up(n):
    yield from range(n)


def explode_on_three(x):
    yield x
    if x == 3:
        raise RuntimeError("exploded while yielding")
    yield x * 10


def returns_int(x):
    return x


def returns_str(x):
    return "abc"


def yields_scalar_for_pair(x):
    yield (x, "ok")
    yield x


def yields_str_for_bigint(x):
    yield 1
    yield "two"


def ten_thousand(x):
    return range(x * 10_000, x * 10_000 + 10_000)


# -- keyed functions -----------------------------------------------------------------------------

def greet_with_length(ctx, row):
    return (row.name, len(row.name))  # an int for the STRING column 'greeting'
