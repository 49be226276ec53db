"""Function classes for the lifecycle tests. Each instance records what happens to it in EVENTS
(in-process tests) and, when the job parameter 'record' names a file, in that file (tests that
run a real worker process): one JSON line per event."""
import collections
import json

EVENTS = []


class Recorder:
    """x + 1, recording open, each call and close; raises on x == -1."""

    def __init__(self):
        self.path = None
        self.rows = 0

    def _record(self, event, **details):
        EVENTS.append((id(self), event, details))
        if self.path:
            with open(self.path, "a") as f:
                f.write(json.dumps({"instance": id(self), "event": event, **details}) + "\n")

    def open(self, context):
        self.path = context.job_parameters.get("record")
        self._record("open", subtask=context.subtask_index, parallelism=context.parallelism,
                     max_parallelism=context.max_parallelism, attempt=context.attempt_number,
                     task=context.task_name)

    def __call__(self, x):
        if self.rows == 0:
            self._record("first_row", x=x)
        self.rows += 1
        if x == -1:
            self._record("raise", x=x)
            raise ValueError("minus one")
        return x + 1

    def twice(self, x):
        """A method of the same instance."""
        return 2 * x

    def close(self):
        self._record("close", rows=self.rows)


class NoOpen:
    """A function class without open or close: called like a function."""

    def __call__(self, x):
        return -x


class FailsInOpen:
    def open(self, context):
        raise RuntimeError("cannot open the model")

    def __call__(self, x):
        return x


class FailsInInit:
    def __init__(self):
        raise RuntimeError("cannot build")

    def __call__(self, x):
        return x


class FailsInClose(Recorder):
    def close(self):
        super().close()
        raise RuntimeError("cannot close")


Point = collections.namedtuple("Point", "x y")  # a class whose instances are not callable


class Greeter:
    """A keyed function class: __call__(ctx, row) per row, on_timer(ctx, timestamp) per timer."""

    def open(self, context):
        self.greeting = "Hello"
        EVENTS.append((id(self), "open", {}))

    def __call__(self, ctx, row):
        ctx.register_event_time_timer(100)
        return (row.name, f"{self.greeting} {row.name}")

    def on_timer(self, ctx, timestamp):
        return (ctx.key, f"timer of {id(self)} at {timestamp}")

    def forget(self, ctx, timestamp):
        return (ctx.key, f"forget of {id(self)}")

    def close(self):
        EVENTS.append((id(self), "close", {}))
