"""The greeter of Flink Stateful Functions, as a keyed Python function for a Flink Java job.

Each name is a key; its state counts the visits. A name that stays away for IDLE_MS is
forgotten: a processing-time timer resets its count, so it is welcomed afresh.
"""
IDLE_MS = 60_000

GREETINGS = {1: "Welcome {}", 2: "Nice to see you again {}", 3: "Third time is a charm {}"}


def greeting(visits, name):
    return GREETINGS.get(visits, "Nice to see you at the {n}-th time {}").format(name, n=visits)


def greet(ctx, row):
    visits = ctx.state("visits")
    n = (visits.value() or 0) + 1
    visits.update(n)
    forget_later(ctx)
    return (row.name, greeting(n, row.name))


def forget_later(ctx):
    """Moves the key's idle timer to IDLE_MS from now."""
    timer = ctx.state("idle_timer")
    previous = timer.value()
    if previous is not None:
        ctx.delete_processing_time_timer(previous)
    at = ctx.current_processing_time() + IDLE_MS
    ctx.register_processing_time_timer(at)
    timer.update(at)


def forget(ctx, timestamp):
    """The name was idle for IDLE_MS: start counting again."""
    ctx.state("visits").clear()
    ctx.state("idle_timer").clear()
