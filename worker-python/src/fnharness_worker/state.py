"""Keyed user state as Python functions see it, kept in Flink and cached here.

``ctx.state(name)`` (a value), ``ctx.list_state(name)`` and ``ctx.map_state(name)`` are views
of Flink keyed state for the current key (docs/protocol.md, "Keyed functions and state"):

* a value is a bag of at most one element, user state id ``value:<name>``;
* a list is a bag, one element per item, user state id ``list:<name>``;
* a map is a multimap of map key -> one element, user state id ``map:<name>``.

Elements travel pickled and framed (state_cells.py), through the State service
(state_client.py). Map keys travel pickled too, so use keys whose pickle is canonical: str, int,
bytes, tuples of them.

The cache: reads go through a worker-wide LRU of cells, one per (state, key); writes change
the cell and mark it dirty, and ``BundleState.flush`` writes every dirty cell back at bundle end
in one batched request. Before a batch runs, ``begin_batch`` reads the cells of every key in it for
the states the function has used so far (maps whole unless they are large), again in one batched
request; a state the function first needs in the middle of a batch is read then, for every key of
the batch at once. The cache outlives bundles when the runner allows it (no TTL): this worker is the only
writer of its keys' state, and a restore from a checkpoint starts a new worker.
"""
import collections
import pickle

from . import protos
from . import state_client as sc
from .state_cells import ABSENT, CELL_TYPES, PICKLE_PROTOCOL, UNKNOWN, decode_last, split_frames

# -- which states a function uses, the cache and one bundle's view of it -------------------------


class UsedStates:
    """The states a keyed function has asked for so far: their user state ids by kind and name,
    and the (kind, id) pairs read before each batch."""

    def __init__(self):
        self.ids = {"value": {}, "list": {}, "map": {}}  # kind -> name -> user state id
        self.used = set()  # (kind, user state id)

    def id(self, kind, name):
        """The user state id of the ``kind`` state ``name`` ("value:<name>"), noted as used."""
        state_id = self.ids[kind].get(name)
        if state_id is None:
            state_id = self.ids[kind][name] = f"{kind}:{name}"
            self.used.add((kind, state_id))
        return state_id


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
        self._dirty = {}  # state id -> (cell type, keys, cells), in the order they became dirty
        self._batch_keys = ()  # the keys of the input batch being processed
        self._batch_read = set()  # state ids read for all of them

    def cell(self, kind, state_id, key):
        """The cell of ``state_id`` for ``key``; made empty (not read) when new."""
        cache_key = (state_id, key)
        cell = self._cells.get(cache_key)
        if cell is None:
            cell = self._cells[cache_key] = CELL_TYPES[kind]()
        else:
            self._cells.move_to_end(cache_key)
        return cell

    def mark_dirty(self, state_id, key, cell):
        if not cell.dirty:
            cell.dirty = True
            group = self._dirty.get(state_id)
            if group is None:
                group = self._dirty[state_id] = (type(cell), [], [])
            group[1].append(key)
            group[2].append(cell)

    def begin_batch(self, keys, states):
        """Before an input batch: reads ``states`` ((kind, id), those the function used so far)
        for the batch's ``keys`` (state key bytes), skipping what the cache knows."""
        self._batch_keys = list(keys)
        self._batch_read = {state_id for _, state_id in states}
        self.prefetch(states, self._batch_keys)

    def read_for_batch(self, cell, state_id):
        """Reads ``state_id`` for every key of the batch when the function first needs an unread
        cell of it in this batch: one round trip instead of one per key (a state the function
        had not used before, as in the first batch). False when it was read for them already."""
        if state_id in self._batch_read:
            return False
        self._batch_read.add(state_id)
        self.prefetch([(cell.kind, state_id)], self._batch_keys)
        return True

    def load(self, state_id, key, cell):
        """Reads a value or list cell (with the rest of the batch when that is still to do)."""
        if self.read_for_batch(cell, state_id) and cell.fetched():
            return
        (data,) = self._client.get_all([sc.get(self._instruction_id, "bag", state_id, key)])
        cell.loaded(data)

    def prefetch(self, states, keys):
        """Reads the unread cells of ``states`` ((kind, id)) for ``keys``, in one round trip."""
        reads = protos.StateBatchReads()
        todo = []  # (cell type, cells), in the order of their reads
        for kind, state_id in states:
            cell_type = CELL_TYPES[kind]
            unread_keys, cells = [], []
            for key in keys:
                cell = self.cell(kind, state_id, key)
                if not cell.fetched():
                    unread_keys.append(key)
                    cells.append(cell)
            if cells:
                cell_type.add_reads(reads, state_id, unread_keys)
                todo.append((cell_type, cells))
        if todo:
            results = sc.BatchResults(self._client.read_batch(self._instruction_id, reads))
            for cell_type, cells in todo:
                cell_type.take_results(cells, results)

    def get_entry(self, state_id, key, map_key):
        (data,) = self._client.get_all([sc.get(self._instruction_id, "entry", state_id, key, map_key)])
        return decode_last(data)

    def get_entries(self, state_id, key):
        """Every (pickled map key, framed value) of the map."""
        (data,) = self._client.get_all([sc.get(self._instruction_id, "entries", state_id, key)])
        parts = split_frames(data)
        return parts[0::2], parts[1::2]

    def flush(self):
        """Writes every dirty cell back, all in one round trip."""
        if self._dirty:
            writes = protos.StateBatchWrites()
            for state_id, (cell_type, keys, cells) in self._dirty.items():
                cell_type.add_writes(writes, state_id, keys, cells)
            self._client.write_batch(self._instruction_id, writes)
            for _, _, cells in self._dirty.values():
                for cell in cells:
                    cell.flushed()
            self._dirty = {}
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
        if cell.value is UNKNOWN:
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
    """A dict per key: ``get(k, default=None)``, ``put(k, v)``, ``remove(k)``, ``contains(k)`` /
    ``k in m``, ``keys()``, ``values()``, ``items()``, ``is_empty()``, ``clear()``. Once the
    function has used a map, it comes whole with each batch's prefetch; a map of more entries
    than state_cells.MAP_PREFETCH_ENTRIES is read entry by entry."""
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
        if entry is None and not cell.fetched() and self._bundle.read_for_batch(cell, self._state_id):
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
        if not cell.fetched():
            self._bundle.read_for_batch(cell, self._state_id)
        if not cell.complete:
            cell.learn(*self._bundle.get_entries(self._state_id, self._key))
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
