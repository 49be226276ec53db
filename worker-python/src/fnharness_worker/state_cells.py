"""What the worker knows about one (state, key), and how that travels in batched requests.

Elements are pickled and framed with a varint length, so a bag's get answer (the runner's
concatenation of everything appended) splits back into elements; map entries hold framed values
too (docs/protocol.md, "Keyed functions and state"). Each cell type writes its dirty cells of one
state as one ``BagWrites`` or ``MapWrites`` (docs/protocol.md, "Batched state requests"): columns
built with list comprehensions and ``extend``, no message per key, since these batches carry every
read and write of a bundle.
"""
import pickle

PICKLE_PROTOCOL = 4  # readable by every Python the worker supports, so state survives upgrades

UNKNOWN = object()  # not read yet
ABSENT = object()  # read: there is no value

# Entries a map prefetch takes per key; a larger map is read entry by entry as before, so that a
# huge map never travels whole for one lookup.
MAP_PREFETCH_ENTRIES = 100


# -- element framing -----------------------------------------------------------------------------


def _varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


_SHORT_LENGTHS = [bytes((n,)) for n in range(0x80)]  # most pickles of state are this short


def frame(payload):
    n = len(payload)
    return (_SHORT_LENGTHS[n] if n < 0x80 else _varint(n)) + payload


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


def decode_last(data):
    """The last element of a bag's data, or ABSENT when it is empty."""
    if not data:
        return ABSENT
    length = data[0]
    if length < 0x80 and length + 1 == len(data):  # one short element: a value, as written
        return pickle.loads(data[1:])
    return decode_elements(data)[-1]


def _encode_or_empty(value):
    return b"" if value is ABSENT else encode_element(value)


# -- cells ---------------------------------------------------------------------------------------


class ValueCell:
    """A value: a bag of at most one element."""
    __slots__ = ("value", "dirty")
    kind = "value"

    def __init__(self):
        self.value = UNKNOWN
        self.dirty = False

    def fetched(self):
        return self.value is not UNKNOWN

    def loaded(self, data):
        self.value = decode_last(data)

    @staticmethod
    def add_reads(reads, state_id, keys):
        reads.bags.add(user_state_id=state_id).keys.extend(keys)

    @staticmethod
    def take_results(cells, results):
        """Loads ``cells`` from their answers, the next ones of ``results``."""
        for cell, data in zip(cells, results.next_bags(len(cells))):
            cell.loaded(data)

    @staticmethod
    def add_writes(writes, state_id, keys, cells):
        bag = writes.bags.add(user_state_id=state_id)
        bag.keys.extend(keys)
        bag.clear.extend([True] * len(keys))
        bag.appends.extend([_encode_or_empty(cell.value) for cell in cells])

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

    def fetched(self):
        return self.base is not None

    def loaded(self, data):
        self.base = decode_elements(data)

    add_reads = ValueCell.add_reads
    take_results = ValueCell.take_results

    @staticmethod
    def add_writes(writes, state_id, keys, cells):
        bag = writes.bags.add(user_state_id=state_id)
        bag.keys.extend(keys)
        bag.clear.extend([cell.cleared for cell in cells])
        bag.appends.extend([b"".join(map(encode_element, cell.pending)) for cell in cells])

    def flushed(self):
        if self.base is not None:
            self.base.extend(self.pending)
        self.pending = []
        self.cleared = False
        self.dirty = False


class MapCell:
    __slots__ = ("entries", "complete", "tried", "cleared", "changed", "dirty")
    kind = "map"

    def __init__(self):
        self.entries = {}  # pickled map key -> [map key, value or ABSENT], for keys we know
        self.complete = False  # entries holds every key of the map
        self.tried = False  # a prefetch asked for the whole map (it may have been too large)
        self.cleared = False
        self.changed = set()  # pickled map keys written since the last write-back
        self.dirty = False

    def fetched(self):
        return self.complete or self.tried

    def learn(self, packed_keys, values):
        """Adds stored entries (pickled key, framed value); what the worker knows wins, as it is
        newer than the store."""
        entries = self.entries
        for packed, value in zip(packed_keys, values):
            if packed not in entries:
                entries[packed] = [pickle.loads(packed), decode_last(value)]

    @staticmethod
    def add_reads(reads, state_id, keys):
        reads.maps.add(user_state_id=state_id, max_entries=MAP_PREFETCH_ENTRIES).keys.extend(keys)

    @staticmethod
    def take_results(cells, results):
        for cell, (packed_keys, values, too_large) in zip(cells, results.next_maps(len(cells))):
            cell.tried = True
            if not too_large:
                cell.learn(packed_keys, values)
                cell.complete = True

    @staticmethod
    def add_writes(writes, state_id, keys, cells):
        batch = writes.maps.add(user_state_id=state_id)
        batch.keys.extend(keys)
        batch.clear.extend([cell.cleared for cell in cells])
        batch.entry_counts.extend([len(cell.changed) for cell in cells])
        for cell in cells:
            entries = cell.entries
            batch.map_keys.extend(cell.changed)
            batch.values.extend([_encode_or_empty(entries[packed][1]) for packed in cell.changed])

    def flushed(self):
        self.changed = set()
        self.cleared = False
        self.dirty = False


CELL_TYPES = {"value": ValueCell, "list": ListCell, "map": MapCell}
