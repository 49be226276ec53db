"""Function classes for FunctionLifecycleITCase.

Each instance appends what happens to it to the file ``lifecycle_record.PATH``, one JSON line per
event; the test writes that module next to this one (python.files) with the path and when to fail.
"""
import json
import os
import threading

import lifecycle_record


class Recorder:
    """x + 1, recording open, its first row and close. Raises on x == lifecycle_record.FAIL_AT,
    only once per test when lifecycle_record.FAILED_ONCE names a marker file."""

    def __init__(self):
        self.instance = f"{os.getpid()}-{id(self)}"
        self.rows = 0

    def _record(self, event, **details):
        line = json.dumps({"instance": self.instance, "pid": os.getpid(), "event": event,
                           "thread": threading.current_thread().name, **details})
        with open(lifecycle_record.PATH, "a") as f:
            f.write(line + "\n")

    def open(self, context):
        self._record("open", subtask=context.subtask_index, parallelism=context.parallelism,
                     attempt=context.attempt_number, task=context.task_name,
                     parameters=dict(context.job_parameters))

    def __call__(self, x):
        if self.rows == 0:
            self._record("first_row", x=x)
        self.rows += 1
        if x == lifecycle_record.FAIL_AT and self._fail_now():
            self._record("raise", x=x)
            raise ValueError(f"failing on purpose at x={x}")
        return x + 1

    @staticmethod
    def _fail_now():
        marker = lifecycle_record.FAILED_ONCE
        if not marker:
            return True
        if os.path.exists(marker):
            return False
        open(marker, "w").close()
        return True

    def close(self):
        self._record("close", rows=self.rows)


class Tally(Recorder):
    """A keyed function class: counts each key's rows, and its on_timer method (no onTimer given
    in Java) says how many there were when the key's event-time timer fires."""

    def __call__(self, ctx, row):
        if self.rows == 0:
            self._record("first_row", x=row.x)
        self.rows += 1
        seen = ctx.state("seen")
        seen.update((seen.value() or 0) + 1)
        ctx.register_event_time_timer(1000)
        return None

    def on_timer(self, ctx, timestamp):
        return (ctx.key, f"{ctx.state('seen').value()} rows, timer of {self.instance}")
