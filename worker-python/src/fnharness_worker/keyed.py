"""The keyed-function bundle processor: f(ctx, row) per row, g(ctx, timestamp) per fired timer.

Input and output batches are laid out in docs/protocol.md, "Keyed functions and state". The
function returns or yields its output rows:

* ``None`` or nothing yielded: no row;
* a generator, iterator or list: one row per item;
* anything else (a tuple, a dict, a single value): one row.

A row is a tuple or list with one value per output column, a dict by column name (missing
columns are null), or, when the output has a single column, the bare value.
"""
import collections
import keyword
import struct
import time
import traceback
import types

from . import columns, protos, state
from .functions import load_function
from .scalar import TRANSFORM_ID, BundleError, RegisterError

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


_KEY_ENCODERS = {
    columns.BIGINT: struct.Struct(">q").pack,
    columns.INT: struct.Struct(">q").pack,
    columns.DOUBLE: struct.Struct(">d").pack,
    columns.BOOLEAN: lambda value: b"\x01" if value else b"\x00",
    columns.STRING: str.encode,  # UTF-8
}


def key_encoder(kind):
    """The function giving the bytes that name a key of ``kind`` in state requests (the runner's
    StateKeyCodec decodes them)."""
    try:
        return _KEY_ENCODERS[kind]
    except KeyError:
        raise RegisterError(f"unsupported key type {columns.kind_name(kind)}") from None


def key_bytes(kind, value):
    return key_encoder(kind)(value)


class KeyedContext:
    """What f(ctx, row) and g(ctx, timestamp) see of the current key, its state and timers."""

    __slots__ = ("key", "timestamp", "time_domain", "_key_bytes", "_bundle", "_processor", "_actions")

    def __init__(self, processor, bundle, actions):
        self._processor = processor
        self._bundle = bundle
        self._actions = actions  # (action, time) the current call asked for
        self.key = None
        self.timestamp = None  # the row's event time (ms) or the timer's time; None if unknown
        self.time_domain = None  # "event_time" / "processing_time" in g, None in f
        self._key_bytes = None

    def state(self, name):
        """The key's value state ``name``."""
        state_id = self._processor.state_ids["value"].get(name) or self._processor.use("value", name)
        return state.ValueState(self._bundle, state_id, self._key_bytes)

    def list_state(self, name):
        state_id = self._processor.state_ids["list"].get(name) or self._processor.use("list", name)
        return state.ListState(self._bundle, state_id, self._key_bytes)

    def map_state(self, name):
        state_id = self._processor.state_ids["map"].get(name) or self._processor.use("map", name)
        return state.MapState(self._bundle, state_id, self._key_bytes)

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
    """Runs the keyed function of one ProcessBundleDescriptor; built once at register time."""

    def _codecs(self, fields):
        resolved = []
        for field in fields:
            try:
                resolved.append((field.name, columns.codec(field.type)))
            except columns.ColumnError as e:
                raise RegisterError(f"{self.describe()}: column '{field.name}' has {e}") from None
        return resolved

    def __init__(self, payload, python_files, state_client_factory):
        self.name = f"{payload.module}:{payload.qualname}"
        self.key_kind = payload.key_type.kind
        self.encode_key = key_encoder(self.key_kind)
        # (name, codec): resolved here, not per batch
        self.input_columns = self._codecs(payload.input_columns)
        self.output_columns = self._codecs(payload.output_columns)
        self.fn = load_function(payload.module, payload.qualname, python_files)
        self.timer_name = f"{payload.timer_module}:{payload.timer_qualname}" if payload.timer_module else None
        self.on_timer = (load_function(payload.timer_module, payload.timer_qualname, python_files)
                         if payload.timer_module else None)
        self.row_type = collections.namedtuple(
            "Row", [name if name.isidentifier() and not keyword.iskeyword(name) else f"_{i}"
                    for i, (name, _) in enumerate(self.input_columns)], rename=True)
        self.output_names = [name for name, _ in self.output_columns]
        self._state_client_factory = state_client_factory
        self.cache = state.StateCache(payload.state_cache_entries or 1000, payload.cache_state_across_bundles)
        self.used = set()  # (kind, state id) of the states the function has used: prefetched
        self.state_ids = {"value": {}, "list": {}, "map": {}}  # kind -> name -> state id, once used
        self.width = len(self.output_columns)

    def use(self, kind, name):
        """The state id of the ``kind`` state ``name``, noted as used (read before each batch)."""
        state_id = self.state_ids[kind][name] = f"{kind}:{name}"
        self.used.add((kind, state_id))
        return state_id

    @classmethod
    def from_descriptor(cls, descriptor, python_files, state_client_factory):
        spec = descriptor.transforms[TRANSFORM_ID].spec
        url = descriptor.state_api_service_descriptor.url
        if not url:
            raise RegisterError(
                f"process bundle descriptor '{descriptor.id}' of a keyed function has no "
                "state_api_service_descriptor")
        payload = protos.KeyedFunctionPayload.FromString(spec.payload)
        return cls(payload, python_files, lambda: state_client_factory(url))

    def describe(self):
        return f"Python function '{self.name}'"

    def process(self, inputs, send, instruction_id):
        """Answers each input RowBatch with one output RowBatch; writes state back at the end."""
        bundle = state.BundleState(self._state_client_factory(), self.cache, instruction_id)
        try:
            for data in inputs:
                out = self.process_batch(protos.RowBatchView.FromString(data), bundle)
                send(out.SerializeToString())
            bundle.flush()
        except state.StateError as e:
            self.cache.invalidate()
            raise BundleError(f"{self.describe()}: state request failed: {e}") from None
        except BaseException:
            self.cache.invalidate()
            raise

    def process_batch(self, batch, bundle):
        row_count = batch.row_count
        expected = HEADER_COLUMNS + len(self.input_columns)
        if len(batch.columns) != expected:
            raise BundleError(f"{self.describe()}: input batch has {len(batch.columns)} columns, expected {expected}")
        try:
            events = columns.decode(batch.columns[0], columns.INT, row_count, "event")
            timestamps = columns.decode(batch.columns[1], columns.BIGINT, row_count, "timestamp")
            keys = columns.decode(batch.columns[2], self.key_kind, row_count, "key")
            fields = [columns.decode(batch.columns[HEADER_COLUMNS + i], kind, row_count, name)
                      for i, (name, kind) in enumerate(self.input_columns)]
        except columns.ColumnError as e:
            raise BundleError(f"{self.describe()}: {e}") from None
        rows = list(map(self.row_type, *fields)) if fields else [self.row_type()] * row_count
        distinct = list(dict.fromkeys(keys))
        encoded_keys = dict(zip(distinct, map(self.encode_key, distinct)))
        bundle.begin_batch(encoded_keys.values(), self.used)

        sources, actions, times, out_rows = [], [], [], []
        timer_actions = []
        ctx = KeyedContext(self, bundle, timer_actions)
        for i in range(row_count):
            event = events[i]
            ctx.key = key = keys[i]
            ctx._key_bytes = encoded_keys[key]
            ctx.timestamp = timestamps[i]
            if event == EVENT_ROW:
                ctx.time_domain = None
                result = self._call(self.fn, self.name, ctx, rows[i], "row", rows[i])
            else:
                ctx.time_domain = _TIME_DOMAIN.get(event)
                if self.on_timer is None:
                    raise BundleError(f"{self.describe()}: a timer fired for key {key!r} but no timer function is set "
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
        return self._encode(sources, actions, times, out_rows)

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

    def _encode(self, sources, actions, times, out_rows):
        out = protos.RowBatchView()
        out.row_count = len(sources)
        try:
            columns.encode(sources, columns.INT, out.columns.add(), "source")
            columns.encode(actions, columns.INT, out.columns.add(), "action")
            columns.encode(times, columns.BIGINT, out.columns.add(), f"{self.describe()} (timer time)")
            for c, (col_name, kind) in enumerate(self.output_columns):
                values = [None if row is None else row[c] for row in out_rows]
                columns.encode(values, kind, out.columns.add(),
                               f"{self.describe()} (output column '{col_name}')")
        except columns.ColumnError as e:
            raise BundleError(str(e)) from None
        return out

