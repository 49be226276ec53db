"""The keyed-function bundle processor: f(ctx, row) per row, g(ctx, timestamp) per fired timer.

Input and output batches are laid out in docs/protocol.md, "Keyed functions and state". The
function returns or yields its output rows:

* ``None`` or nothing yielded: no row;
* a generator, iterator or list: one row per item;
* anything else (a tuple, a dict, a single value): one row.

A row is a tuple or list with one value per output column, a dict by column name (missing
columns are null), or, when the output has a single column, the bare value.
"""
import time
import traceback
import types

from . import columns, protos, state
from .errors import BundleError, RegisterError
from .state_client import StateError, key_encoder

EVENT_ROW = protos.KEYED_EVENT["KEYED_EVENT_ROW"]
EVENT_TIMER = protos.KEYED_EVENT["KEYED_EVENT_EVENT_TIME_TIMER"]
PROCESSING_TIMER = protos.KEYED_EVENT["KEYED_EVENT_PROCESSING_TIME_TIMER"]
EMIT = protos.KEYED_ACTION["KEYED_ACTION_EMIT"]
_ACTIONS = {
    "register_event_time_timer": protos.KEYED_ACTION["KEYED_ACTION_REGISTER_EVENT_TIME_TIMER"],
    "register_processing_time_timer": protos.KEYED_ACTION["KEYED_ACTION_REGISTER_PROCESSING_TIME_TIMER"],
    "delete_event_time_timer": protos.KEYED_ACTION["KEYED_ACTION_DELETE_EVENT_TIME_TIMER"],
    "delete_processing_time_timer": protos.KEYED_ACTION["KEYED_ACTION_DELETE_PROCESSING_TIME_TIMER"],
}
_TIME_DOMAIN = {EVENT_TIMER: "event_time", PROCESSING_TIMER: "processing_time"}
HEADER_COLUMNS = 3  # event, timestamp, key
TIMER_METHOD = "on_timer"  # a keyed function class's timer function, when none is named


class KeyedContext:
    """What f(ctx, row) and g(ctx, timestamp) see of the current key, its state and timers."""

    __slots__ = ("key", "timestamp", "time_domain", "_key_bytes", "_bundle", "_states", "_actions")

    def __init__(self, states, bundle, actions):
        self._states = states  # state.UsedStates of the function
        self._bundle = bundle
        self._actions = actions  # (action, time) the current call asked for
        self.key = None
        self.timestamp = None  # the row's event time (ms) or the timer's time; None if unknown
        self.time_domain = None  # "event_time" / "processing_time" in g, None in f
        self._key_bytes = None

    def move_to(self, key, key_bytes, timestamp, time_domain):
        """Makes the context that of the next event: its key (and the key's state key bytes),
        its timestamp and, for a timer, its time domain."""
        self.key = key
        self._key_bytes = key_bytes
        self.timestamp = timestamp
        self.time_domain = time_domain

    def state(self, name):
        """The key's value state ``name``."""
        return state.ValueState(self._bundle, self._states.id("value", name), self._key_bytes)

    def list_state(self, name):
        return state.ListState(self._bundle, self._states.id("list", name), self._key_bytes)

    def map_state(self, name):
        return state.MapState(self._bundle, self._states.id("map", name), self._key_bytes)

    @staticmethod
    def current_processing_time():
        """Milliseconds since the epoch, the clock processing-time timers fire by."""
        return int(time.time() * 1000)

    def register_event_time_timer(self, timestamp):
        self._timer("register_event_time_timer", timestamp)

    def register_processing_time_timer(self, timestamp):
        self._timer("register_processing_time_timer", timestamp)

    def delete_event_time_timer(self, timestamp):
        self._timer("delete_event_time_timer", timestamp)

    def delete_processing_time_timer(self, timestamp):
        self._timer("delete_processing_time_timer", timestamp)

    def _timer(self, action, timestamp):
        if isinstance(timestamp, bool) or not isinstance(timestamp, int):
            raise TypeError(f"{action} needs an int timestamp in milliseconds, got {timestamp!r}")
        self._actions.append((_ACTIONS[action], timestamp))


class KeyedFunctionProcessor:
    """Runs the keyed function of one ProcessBundleDescriptor; built once at register time.

    The function may be a function class (lifecycle.py): then ``instance(ctx, row)`` is called
    per row and, unless a timer function is named, its ``on_timer(ctx, timestamp)`` method per
    fired timer; a timer function named ``module:Class.method`` of the same class is a method of
    the same instance.
    """

    urn = protos.KEYED_FUNCTION_URN
    payload_type = protos.KeyedFunctionPayload

    def __init__(self, payload, registration):
        self.name = f"{payload.module}:{payload.qualname}"
        self.label = f"Python function '{self.name}'"
        if not registration.state_url:
            raise RegisterError(
                f"process bundle descriptor '{registration.descriptor_id}' of a keyed function has no "
                "state_api_service_descriptor")
        self.key_kind = payload.key_type.kind
        self.encode_key = key_encoder(self.key_kind)
        try:  # resolved here, not per batch
            self.input_columns = columns.field_codecs(payload.input_columns, "input")
            self.output_columns = columns.field_codecs(payload.output_columns, "output")
        except columns.ColumnError as e:
            raise RegisterError(f"{self.label}: {e}") from None
        self.fn = registration.load(payload.module, payload.qualname)
        self.timer_name, self.on_timer = self._timer_function(payload, registration)
        self.row_type = columns.row_class([name for name, _ in self.input_columns])  # as a ROW column's
        self.output_names = [name for name, _ in self.output_columns]
        self.cache = state.StateCache(payload.state_cache_entries or 1000, payload.cache_state_across_bundles)
        self.states = state.UsedStates()  # those used so far are read before each batch
        self.width = len(self.output_columns)

    def _timer_function(self, payload, registration):
        """(name, callable) of the timer function, or (None, None) when there is none."""
        if payload.timer_module:
            return (f"{payload.timer_module}:{payload.timer_qualname}",
                    registration.load(payload.timer_module, payload.timer_qualname))
        instance = registration.functions.instance(payload.module, payload.qualname)
        method = getattr(instance, TIMER_METHOD, None) if instance is not None else None
        if method is None:
            return None, None
        return f"{self.name}.{TIMER_METHOD}", method

    def process(self, bundle):
        """Answers each input RowBatch with one output RowBatch; writes state back at the end."""
        bundle_state = state.BundleState(bundle.state_client(), self.cache, bundle.instruction_id)
        try:
            for data in bundle.inputs:
                out = self.process_batch(protos.RowBatchView.FromString(data), bundle_state)
                bundle.send(out.SerializeToString())
            bundle_state.flush()
        except StateError as e:
            self.cache.invalidate()
            raise BundleError(f"{self.label}: state request failed: {e}") from None
        except BaseException:
            self.cache.invalidate()
            raise

    def process_batch(self, batch, bundle):
        row_count = batch.row_count
        expected = HEADER_COLUMNS + len(self.input_columns)
        if len(batch.columns) != expected:
            raise BundleError(f"{self.label}: input batch has {len(batch.columns)} columns, expected {expected}")
        try:
            events = columns.decode(batch.columns[0], columns.INT, row_count, "event")
            timestamps = columns.decode(batch.columns[1], columns.BIGINT, row_count, "timestamp")
            keys = columns.decode(batch.columns[2], self.key_kind, row_count, "key")
            fields = [columns.decode(batch.columns[HEADER_COLUMNS + i], kind, row_count, name)
                      for i, (name, kind) in enumerate(self.input_columns)]
        except columns.ColumnError as e:
            raise BundleError(f"{self.label}: {e}") from None
        rows = list(map(self.row_type, *fields)) if fields else [self.row_type()] * row_count
        distinct = list(dict.fromkeys(keys))
        encoded_keys = dict(zip(distinct, map(self.encode_key, distinct)))
        bundle.begin_batch(encoded_keys.values(), self.states.used)

        sources, actions, times, out_rows = [], [], [], []
        timer_actions = []
        ctx = KeyedContext(self.states, bundle, timer_actions)
        for i in range(row_count):
            event = events[i]
            key = keys[i]
            if event == EVENT_ROW:
                ctx.move_to(key, encoded_keys[key], timestamps[i], None)
                result = self._call(self.fn, self.name, ctx, rows[i], "row", rows[i])
            else:
                ctx.move_to(key, encoded_keys[key], timestamps[i], _TIME_DOMAIN.get(event))
                if self.on_timer is None:
                    raise BundleError(f"{self.label}: a timer fired for key {key!r} but no timer function is set "
                                      "(PythonKeyedFunction.onTimer)")
                result = self._call(self.on_timer, self.timer_name, ctx, ctx.timestamp, "timer at", ctx.timestamp)
            for row in result:
                sources.append(i)
                actions.append(EMIT)
                times.append(None)
                out_rows.append(row)
            if timer_actions:
                for action, at in timer_actions:
                    sources.append(i)
                    actions.append(action)
                    times.append(at)
                    out_rows.append(None)
                timer_actions.clear()
        return self._encode(sources, actions, times, out_rows, (events, keys, rows, timestamps))

    def _call(self, fn, name, ctx, arg, what, shown):
        """The output rows of one call, each a list with one value per output column."""
        try:
            result = fn(ctx, arg)
            if type(result) is tuple and len(result) == self.width:  # the common case, as _row has it
                return (result,)
            if result is None:
                return ()
            if isinstance(result, (types.GeneratorType, list)) or (
                    hasattr(result, "__next__") and not isinstance(result, (tuple, dict, str, bytes))):
                return [self._row(item, name) for item in result]
            return [self._row(result, name)]
        except BundleError:
            raise
        except (Exception, SystemExit):
            raise BundleError(
                f"Python function '{name}' failed on key {columns.short_repr(ctx.key)} ({what} "
                f"{columns.short_repr(shown)}):\n{traceback.format_exc()}") from None

    def _row(self, item, name):
        width = len(self.output_names)
        if isinstance(item, dict):
            unknown = set(item) - set(self.output_names)
            if unknown:
                raise BundleError(f"Python function '{name}' returned a row with unknown columns "
                                  f"{sorted(map(str, unknown))}; the output columns are {self.output_names}")
            return [item.get(n) for n in self.output_names]
        if isinstance(item, (tuple, list)):
            if len(item) != width:
                raise BundleError(f"Python function '{name}' returned the row {columns.short_repr(item)} with "
                                  f"{len(item)} values; the output has {width} columns {self.output_names}")
            return item
        if width == 1:
            return (item,)
        raise BundleError(f"Python function '{name}' returned {columns.short_repr(item)}; a row of the "
                          f"{width} output columns {self.output_names} is a tuple, list or dict")

    def _encode(self, sources, actions, times, out_rows, inputs):
        out = protos.RowBatchView()
        out.row_count = len(sources)
        try:
            columns.encode(sources, columns.INT, out.columns.add(), "source")
            columns.encode(actions, columns.INT, out.columns.add(), "action")
            columns.encode(times, columns.BIGINT, out.columns.add(), f"{self.label} (timer time)")
            for c, (col_name, kind) in enumerate(self.output_columns):
                values = [None if row is None else row[c] for row in out_rows]
                try:
                    columns.encode(values, kind, out.columns.add(), f"{self.label} (output column '{col_name}')")
                except columns.RefusedResult as e:
                    raise BundleError(self._refused(e, col_name, sources[e.row], inputs)) from None
        except columns.ColumnError as e:
            raise BundleError(str(e)) from None
        return out

    def _refused(self, error, column, source, inputs):
        """The refused result's message, naming the key and the row (or timer) that returned it."""
        events, keys, rows, timestamps = inputs
        if events[source] == EVENT_ROW:
            name, event = self.name, f"row {columns.short_repr(rows[source])}"
        else:
            name, event = self.timer_name, f"timer at {timestamps[source]}"
        return (f"Python function '{name}' (output column '{column}') returned {columns.short_repr(error.value)} "
                f"for key {columns.short_repr(keys[source])} ({event}), which the {error.type_name} column cannot "
                f"hold: {error.problem}")
