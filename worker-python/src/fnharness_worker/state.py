"""Keyed user state as Python functions see it, kept in Flink and cached here.

``ctx.state(name)`` (a value), ``ctx.list_state(name)`` and ``ctx.map_state(name)`` are views
of Flink keyed state for the current key (docs/protocol.md, "Keyed functions and state"):

* a value is a bag of at most one element, user state id ``value:<name>``;
* a list is a bag, one element per item, user state id ``list:<name>``;
* a map is a multimap of map key -> one element, user state id ``map:<name>``.

Elements are pickled and framed with a varint length, so a bag's get answer (the runner's
concatenation of everything appended) splits back into elements. Map keys travel pickled too,
so use keys whose pickle is canonical: str, int, bytes, tuples of them.

The cache: reads go through a worker-wide LRU of cells, one per (state, key); writes change
the cell and mark it dirty, and ``BundleState.flush`` writes every dirty cell back at bundle end
in one batched request. Before a batch runs, ``prefetch`` reads the cells of every key in it for the
value and list states the function has used so far, again in one batched request. The cache outlives
bundles when the runner allows it (no TTL): this worker is the only writer of its keys' state,
and a restore from a checkpoint starts a new worker.
"""
import collections
import pickle

from . import state_client as sc
from .state_client import StateError  # noqa: F401  (re-exported for the processor)

PICKLE_PROTOCOL = 4  # readable by every Python the worker supports, so state survives upgrades

_UNKNOWN = object()  # not read yet
ABSENT = object()  # read: there is no value


# -- element framing -----------------------------------------------------------------------------


def _varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def frame(payload):
    return _varint(len(payload)) + payload


def encode_element(value):
    return frame(pickle.dumps(value, protocol=PICKLE_PROTOCOL))


def split_frames(data):
    """The payloads of a concatenation of varint-length-framed byte strings."""
    parts = []
    pos, end = 0, len(data)
    while pos < end:
        length = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            length |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
        parts.append(data[pos:pos + length])
        pos += length
    return parts


def decode_elements(data):
    return [pickle.loads(part) for part in split_frames(data)]


# -- cells: what the worker knows about one (state, key) -----------------------------------------


class ValueCell:
    __slots__ = ("value", "dirty")
    kind = "value"

    def __init__(self):
        self.value = _UNKNOWN
        self.dirty = False

    def known(self):
        return self.value is not _UNKNOWN

    def loaded(self, data):
        elements = decode_elements(data)
        self.value = elements[-1] if elements else ABSENT

    def writes(self, bundle, state_id, key):
        yield sc.clear(bundle, "bag", state_id, key)
        if self.value is not ABSENT:
            yield sc.append(bundle, "bag", state_id, key, encode_element(self.value))

    def flushed(self):
        self.dirty = False


class ListCell:
    __slots__ = ("base", "pending", "cleared", "dirty")
    kind = "list"

    def __init__(self):
        self.base = None  # the stored items, None while unread
        self.pending = []  # added since the last write-back
        self.cleared = False  # cleared since the last write-back (base is [] then)
        self.dirty = False

    def known(self):
        return self.base is not None

    def loaded(self, data):
        self.base = decode_elements(data)

    def writes(self, bundle, state_id, key):
        if self.cleared:
            yield sc.clear(bundle, "bag", state_id, key)
        if self.pending:
            data = b"".join(map(encode_element, self.pending))
            yield sc.append(bundle, "bag", state_id, key, data)

    def flushed(self):
        if self.base is not None:
            self.base.extend(self.pending)
        self.pending = []
        self.cleared = False
        self.dirty = False


class MapCell:
    __slots__ = ("entries", "complete", "cleared", "changed", "dirty")
    kind = "map"

    def __init__(self):
        self.entries = {}  # pickled map key -> [map key, value or ABSENT], for keys we know
        self.complete = False  # entries holds every key of the map
        self.cleared = False
        self.changed = set()  # pickled map keys written since the last write-back
        self.dirty = False

    def known(self):
        return True  # a map loads entry by entry

    def writes(self, bundle, state_id, key):
        if self.cleared:
            yield sc.clear(bundle, "keys", state_id, key)
        for map_key in self.changed:
            if not self.cleared:
                yield sc.clear(bundle, "entry", state_id, key, map_key)
            value = self.entries[map_key][1]
            if value is not ABSENT:
                yield sc.append(bundle, "entry", state_id, key, encode_element(value), map_key)

    def flushed(self):
        self.changed = set()
        self.cleared = False
        self.dirty = False


_CELL_TYPES = {"value": ValueCell, "list": ListCell, "map": MapCell}


# -- the cache and one bundle's view of it -------------------------------------------------------


class StateCache:
    """Cells by (user state id, key bytes), least recently used first; worker-wide."""

    def __init__(self, max_entries, across_bundles):
        self.max_entries = max(1, max_entries)
        self.across_bundles = across_bundles
        self.cells = collections.OrderedDict()

    def bundle_ended(self):
        if not self.across_bundles:
            self.cells.clear()
            return
        # Every cell is clean now (written back), so any may go.
        while len(self.cells) > self.max_entries:
            self.cells.popitem(last=False)

    def invalidate(self):
        """After a failed bundle: cells may hold writes Flink never got."""
        self.cells.clear()


class BundleState:
    """The state of one bundle: reads through the cache, writes back in ``flush``."""

    def __init__(self, client, cache, instruction_id):
        self._client = client
        self._cache = cache
        self._cells = cache.cells
        self._instruction_id = instruction_id
        self._dirty = []  # (state id, key, cell)
        self.used = set()  # (kind, state id) the function touched in this bundle

    def cell(self, kind, state_id, key):
        """The cell of ``state_id`` for ``key``; made empty (not read) when new."""
        cache_key = (state_id, key)
        cell = self._cells.get(cache_key)
        if cell is None:
            cell = self._cells[cache_key] = _CELL_TYPES[kind]()
        else:
            self._cells.move_to_end(cache_key)
        return cell

    def mark_dirty(self, state_id, key, cell):
        if not cell.dirty:
            cell.dirty = True
            self._dirty.append((state_id, key, cell))

    def load(self, state_id, key, cell):
        """Reads a value or list cell now: one round trip (prefetch usually saved it)."""
        (data,) = self._client.get_all([sc.get(self._instruction_id, "bag", state_id, key)])
        cell.loaded(data)

    def prefetch(self, states, keys):
        """Reads the unread cells of ``states`` ((kind, id) of values and lists) for ``keys``."""
        todo, requests = [], []
        for kind, state_id in states:
            for key in keys:
                cell = self.cell(kind, state_id, key)
                if not cell.known():
                    todo.append(cell)
                    requests.append(sc.get(self._instruction_id, "bag", state_id, key))
        for cell, data in zip(todo, self._client.read_batch(self._instruction_id, requests)):
            cell.loaded(data)

    def get_entry(self, state_id, key, map_key):
        (data,) = self._client.get_all([sc.get(self._instruction_id, "entry", state_id, key, map_key)])
        elements = decode_elements(data)
        return elements[-1] if elements else ABSENT

    def get_entries(self, state_id, key):
        (data,) = self._client.get_all([sc.get(self._instruction_id, "entries", state_id, key)])
        parts = split_frames(data)
        return [(parts[i], decode_elements(parts[i + 1])) for i in range(0, len(parts), 2)]

    def flush(self):
        """Writes every dirty cell back, all in one round trip."""
        requests = []
        for state_id, key, cell in self._dirty:
            requests.extend(cell.writes(self._instruction_id, state_id, key))
        self._client.write_batch(self._instruction_id, requests)
        for _, _, cell in self._dirty:
            cell.flushed()
        self._dirty = []
        self._cache.bundle_ended()


# -- what the user's function holds ----------------------------------------------------------------


class ValueState:
    """One value per key: ``value()`` (None when unset), ``update(v)``, ``clear()``.

    Call ``update`` after changing a mutable value in place: only updates are written back.
    """
    __slots__ = ("_bundle", "_state_id", "_key", "_cell")

    def __init__(self, bundle, state_id, key):
        self._bundle = bundle
        self._state_id = state_id
        self._key = key
        self._cell = bundle.cell("value", state_id, key)

    def value(self):
        cell = self._cell
        if cell.value is _UNKNOWN:
            self._bundle.load(self._state_id, self._key, cell)
        return None if cell.value is ABSENT else cell.value

    def update(self, value):
        """Sets the value; ``update(None)`` clears it, as in Flink."""
        self._cell.value = ABSENT if value is None else value
        self._bundle.mark_dirty(self._state_id, self._key, self._cell)

    def clear(self):
        self.update(None)


class ListState:
    """A list per key: ``get()`` (a new list), ``add(v)``, ``add_all(vs)``, ``update(vs)``,
    ``clear()``. Adding does not read the list."""
    __slots__ = ("_bundle", "_state_id", "_key", "_cell")

    def __init__(self, bundle, state_id, key):
        self._bundle = bundle
        self._state_id = state_id
        self._key = key
        self._cell = bundle.cell("list", state_id, key)

    def get(self):
        cell = self._cell
        if cell.base is None:
            self._bundle.load(self._state_id, self._key, cell)
        return cell.base + cell.pending

    def __iter__(self):
        return iter(self.get())

    def add(self, value):
        self._cell.pending.append(value)
        self._bundle.mark_dirty(self._state_id, self._key, self._cell)

    def add_all(self, values):
        self._cell.pending.extend(values)
        self._bundle.mark_dirty(self._state_id, self._key, self._cell)

    def update(self, values):
        self.clear()
        self.add_all(values)

    def clear(self):
        cell = self._cell
        cell.base, cell.pending, cell.cleared = [], [], True
        self._bundle.mark_dirty(self._state_id, self._key, cell)


class MapState:
    """A dict per key, read entry by entry: ``get(k, default=None)``, ``put(k, v)``,
    ``remove(k)``, ``contains(k)`` / ``k in m``, ``keys()``, ``values()``, ``items()``,
    ``is_empty()``, ``clear()``."""
    __slots__ = ("_bundle", "_state_id", "_key", "_cell")

    def __init__(self, bundle, state_id, key):
        self._bundle = bundle
        self._state_id = state_id
        self._key = key
        self._cell = bundle.cell("map", state_id, key)

    def _lookup(self, map_key):
        cell = self._cell
        packed = pickle.dumps(map_key, protocol=PICKLE_PROTOCOL)
        entry = cell.entries.get(packed)
        if entry is None:
            value = ABSENT if cell.complete else self._bundle.get_entry(self._state_id, self._key, packed)
            entry = cell.entries[packed] = [map_key, value]
        return entry[1]

    def get(self, map_key, default=None):
        value = self._lookup(map_key)
        return default if value is ABSENT else value

    def contains(self, map_key):
        return self._lookup(map_key) is not ABSENT

    __contains__ = contains

    def put(self, map_key, value):
        self._write(map_key, value)

    def remove(self, map_key):
        self._write(map_key, ABSENT)

    def _write(self, map_key, value):
        cell = self._cell
        packed = pickle.dumps(map_key, protocol=PICKLE_PROTOCOL)
        cell.entries[packed] = [map_key, value]
        cell.changed.add(packed)
        self._bundle.mark_dirty(self._state_id, self._key, cell)

    def _complete(self):
        cell = self._cell
        if not cell.complete:
            for packed, elements in self._bundle.get_entries(self._state_id, self._key):
                if packed not in cell.entries:
                    cell.entries[packed] = [pickle.loads(packed), elements[-1] if elements else ABSENT]
            cell.complete = True
        return cell.entries

    def items(self):
        return [(k, v) for k, v in self._complete().values() if v is not ABSENT]

    def keys(self):
        return [k for k, _ in self.items()]

    def values(self):
        return [v for _, v in self.items()]

    def __iter__(self):
        return iter(self.keys())

    def is_empty(self):
        return not self.items()

    def clear(self):
        cell = self._cell
        cell.entries, cell.complete, cell.cleared, cell.changed = {}, True, True, set()
        self._bundle.mark_dirty(self._state_id, self._key, cell)
