"""The functions the throughput runner measures, end to end and in bare Python."""


def add_one(x):
    return x + 1


def upper(s):
    return s.upper()


def sample_string(i):
    """The i-th input string; ThroughputRunner builds the same ones in Java."""
    return f"fnharness-{i % 1024:04d}-abcdefghij"
