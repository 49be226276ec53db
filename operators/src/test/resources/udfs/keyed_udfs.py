"""Keyed Python functions the keyed operator tests call through a real worker."""
import os
import tempfile


def count(ctx, row):
    """Counts the rows of each key in value state; one output row (key, count) per row."""
    seen = ctx.state("count")
    n = (seen.value() or 0) + 1
    seen.update(n)
    return (ctx.key, n)


FAIL_AT_ROW = 7000


def count_and_fail_once(ctx, row):
    """count(), but the first worker of this JVM to see a row from FAIL_AT_ROW on, once the test
    has marked a completed checkpoint, raises (once: the marker file is created atomically)."""
    if row.x >= FAIL_AT_ROW:
        runner = os.getppid()
        checkpointed = os.path.join(tempfile.gettempdir(), f"fnharness-checkpointed-{runner}.marker")
        failed = os.path.join(tempfile.gettempdir(), f"fnharness-fail-once-{runner}.marker")
        if os.path.exists(checkpointed):
            try:
                os.close(os.open(failed, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return count(ctx, row)
            raise RuntimeError(f"failing once at row {row.x}, as the test asked")
    return count(ctx, row)


def remember(ctx, row):
    """List and map state: each key remembers its rows' values in order and how often each
    value came; outputs (key, values so far as text, times this value came, distinct values)."""
    history = ctx.list_state("history")
    history.add(row.x)
    tally = ctx.map_state("tally")
    times = tally.get(row.x, 0) + 1
    tally.put(row.x, times)
    values = history.get()
    return {"k": ctx.key, "text": ",".join(map(str, values)), "n": times, "distinct": len(tally.keys())}


def grow(ctx, row):
    """Appends 600 KB per row to the key's value: the second row already reads more than the
    runner's 1 MiB state chunk, so reads follow continuation tokens."""
    blob = ctx.state("blob")
    data = (blob.value() or b"") + bytes([row.x % 251]) * 600_000
    blob.update(data)
    return (ctx.key, len(data), data[::600_000].hex())


def first_or_again(ctx, row):
    """'first' the first time a key is seen while its state lives (state TTL), else 'again'."""
    seen = ctx.state("seen")
    answer = "again" if seen.value() else "first"
    seen.update(True)
    return (ctx.key, answer)


def nothing_or_many(ctx, row):
    """Yields x rows for a row x: zero, one or many outputs per input."""
    for i in range(row.x):
        yield (ctx.key, i)


def remind_later(ctx, row):
    """Registers an event-time timer 10 ms after the row; the timer says how many rows came."""
    seen = ctx.state("seen")
    seen.update((seen.value() or 0) + 1)
    ctx.register_event_time_timer(ctx.timestamp + 10)
    return None


def on_reminder(ctx, timestamp):
    seen = ctx.state("seen")
    yield (ctx.key, f"{ctx.time_domain} timer at {timestamp}: {seen.value()} rows")
    seen.clear()


def remind_soon(ctx, row):
    ctx.register_processing_time_timer(ctx.current_processing_time() + 50)
    return (ctx.key, "row")


def on_soon(ctx, timestamp):
    return (ctx.key, ctx.time_domain)


def bad_row(ctx, row):
    return ("too", "many", "values")


def raises(ctx, row):
    raise ValueError(f"no greeting for {row.x}")
