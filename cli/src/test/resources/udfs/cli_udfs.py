"""Python functions the CLI tests call."""
from datetime import timedelta
from decimal import Decimal


def add(a, b):
    return None if a is None else a + b


def strip(s):
    return None if s is None else s.strip()


def upper(s):
    return None if s is None else s.upper()


def words(line):
    for word in (line or "").split():
        yield word, len(word)


def fail_on_3(x):
    if x == 3:
        raise ValueError("three is not allowed here")
    return x


def identity(x):
    return x


def with_tax(price):
    return None if price is None else price * Decimal("1.2")


def total(scores):
    return None if scores is None else sum(v for v in scores.values() if v is not None)


def first_tag(id, tags):
    return id, (tags[0] if tags else None)


def reverse_bytes(b):
    return None if b is None else bytes(reversed(b))


def add_micros(ts):
    return None if ts is None else ts + timedelta(microseconds=456)


def exit_now(x):
    import os
    os._exit(3)
