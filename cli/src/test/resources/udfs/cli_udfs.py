"""Python functions the CLI tests call."""


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
