"""What every column codec shares: the DataType kinds, the errors, the null bitmap <-> mask
conversions and the :class:`Codec` base class whose ``decode`` / ``encode`` the families refine.

Null bitmaps are turned into / built from a byte-per-row mask with int <-> binary-string
conversions and ``bytes.translate``, and ``itertools.compress`` picks the null rows, so nulls cost
Python work per null row, never per row. Result validation is ``set(map(type, values))`` plus a
check of each distinct type (:meth:`Codec.accepts`, cached per type).

Columns are ``ColumnView`` messages (fnharness.proto): their packed fixed-width value lists are
``bytes``, the wire's run of little-endian values, which :func:`unpack` and :func:`pack` turn
into a list and back with one ``struct`` call. ``struct`` also refuses what the list cannot hold
(an int beyond 64 bits, a str, a finite float beyond float32), like protobuf's containers did.
"""
import operator
import struct
from itertools import compress, repeat

from .. import protos

_KINDS = protos.enum_values("fnharness.v1.DataType.Kind")
_KIND_NAMES = {number: name for name, number in _KINDS.items()}
BIGINT = _KINDS["BIGINT"]
INT = _KINDS["INT"]
DOUBLE = _KINDS["DOUBLE"]
BOOLEAN = _KINDS["BOOLEAN"]
STRING = _KINDS["STRING"]
TINYINT = _KINDS["TINYINT"]
SMALLINT = _KINDS["SMALLINT"]
FLOAT = _KINDS["FLOAT"]
BYTES = _KINDS["BYTES"]
DECIMAL = _KINDS["DECIMAL"]
DATE = _KINDS["DATE"]
TIME = _KINDS["TIME"]
TIMESTAMP = _KINDS["TIMESTAMP"]
TIMESTAMP_LTZ = _KINDS["TIMESTAMP_LTZ"]
ARRAY = _KINDS["ARRAY"]
MAP = _KINDS["MAP"]
ROW = _KINDS["ROW"]

# The packed fixed-width value lists, bytes in ColumnView: the struct code of one value.
FIXED_WIDTH = {"longs": "q", "doubles": "d", "floats": "f", "bools": "?"}
INT_RANGE = {
    BIGINT: (-(1 << 63), (1 << 63) - 1),
    INT: (-(1 << 31), (1 << 31) - 1),
    SMALLINT: (-(1 << 15), (1 << 15) - 1),
    TINYINT: (-(1 << 7), (1 << 7) - 1),
}

_NONE_TYPE = type(None)
# b"\x00"/b"\x01" per row <-> b"0"/b"1" per row
_TO_ASCII = bytes.maketrans(b"\x00\x01", b"01")
_FROM_ASCII = bytes.maketrans(b"01", b"\x00\x01")


MAX_REPR = 1000  # characters of a value's repr in an error message


def short_repr(value):
    """repr(value), cut to MAX_REPR characters: error messages must stay readable."""
    text = repr(value)
    if len(text) > MAX_REPR:
        text = f"{text[:MAX_REPR]}... ({len(text)} characters)"
    return text


def kind_name(kind):
    return _KIND_NAMES.get(kind, str(kind))


def kind_of(name):
    """The number of the DataType.Kind called ``name``."""
    return _KINDS[name]


class ColumnError(Exception):
    """A column cannot be decoded or a result cannot be encoded; the message says which."""


class RefusedResult(ColumnError):
    """A result column cannot hold one of its values: which row, which value and why.

    The message names the row of the batch; processors that know more (the input row's
    arguments, the key) build their own message from the attributes.
    """

    def __init__(self, label, type_name, row, value, problem):
        super().__init__(f"{label} returned {short_repr(value)} on row {row} of the batch, which the "
                         f"{type_name} column cannot hold: {problem}")
        self.label = label
        self.type_name = type_name
        self.row = row
        self.value = value
        self.problem = problem


class Refused(Exception):
    """Raised by the fast encoding paths; columns.encode() then scans for the row to name."""


# ---------------------------------------------------------------------------------------------
# Null bitmaps


def null_rows(nulls, row_count):
    """Row indices whose bit is set in ``nulls`` (bit i = byte i/8, mask 1 << i%8)."""
    bits = int.from_bytes(nulls, "little")
    if not bits:
        return ()
    # format(bits, "b") is most significant bit first, so reversing it gives row 0 first. Rows
    # after the highest set bit are missing from the string; compress() stops there.
    mask = format(bits, "b").encode("ascii")[::-1].translate(_FROM_ASCII)
    return compress(range(row_count), mask)


def null_bitmap(mask):
    """The nulls bytes for a byte-per-row mask (1 = null); empty when no row is null."""
    bits = int(mask.translate(_TO_ASCII)[::-1], 2) if mask else 0
    if not bits:
        return b""
    return bits.to_bytes((len(mask) + 7) // 8, "little")


# ---------------------------------------------------------------------------------------------
# Packed fixed-width runs


def unpack(code, data, count):
    """The list of the ``count`` values of a packed run (``data``: bytes) of struct ``code``."""
    return list(struct.unpack(f"<{count}{code}", data))


def pack(code, values, count):
    """The packed run of ``count`` values (any iterable); raises struct.error, OverflowError or
    TypeError for a value the code cannot hold, or when there are not ``count`` values."""
    return struct.pack(f"<{count}{code}", *values)


# ---------------------------------------------------------------------------------------------
# The codec base class: one Codec per DataType, built once (see columns.codec()).


class Codec:
    """Decodes a Column into a list and encodes a list into a Column, for one DataType.

    A column type is one subclass, registered under its kind in ``columns.CODECS``: it names its
    value list (``field``), the null slot, which Python types it accepts (``accepts_type``, and
    its docstring says so) and how values convert each way; nested types build their children
    in :meth:`from_type`.

    ``encode`` may raise anything when a value is refused (``Refused``, or the TypeError /
    ValueError / OverflowError of a conversion); the package-level ``columns.encode`` then calls
    :meth:`problem` row by row to name the culprit.
    """

    field = None  # the Column value list, for scalar kinds
    null_slot = None  # what a null row holds while encoding; must be a value encode() accepts
    hashable = True  # whether Python values of this type can be dict keys (MAP keys)

    @classmethod
    def from_type(cls, data_type, codec_of):
        """The codec of ``data_type``; ``codec_of(DataType)`` builds the codecs of children."""
        return cls(data_type)

    def __init__(self, data_type, name=None):
        self.kind = data_type.kind
        self.name = name or kind_name(self.kind)  # as errors and type_name() spell the type
        self.not_null = data_type.not_null
        self._accepted = {}
        self.code = FIXED_WIDTH.get(self.field)  # None unless the field is a packed run
        self.width = struct.calcsize("<" + self.code) if self.code else None  # bytes per value

    # -- types -----------------------------------------------------------------------------

    def accepts_type(self, t):
        raise NotImplementedError

    def accepts(self, t):
        ok = self._accepted.get(t)
        if ok is None:
            ok = self._accepted[t] = bool(self.accepts_type(t))
        return ok

    def type_problem(self, value):
        return f"{self.name} cannot hold a value of type {type(value).__name__}"

    def problem(self, value):
        """Why ``value`` (not None) cannot go into this column, or None if it can."""
        if not self.accepts(type(value)):
            return self.type_problem(value)
        return self.value_problem(value)

    def value_problem(self, value):
        return None

    # -- decoding --------------------------------------------------------------------------

    def decode(self, column, count, where):
        """The Python list of a column that holds ``count`` values; None for nulls."""
        values = self.slots(column, count, where)
        try:
            values = self.convert_in(values)
        except (ValueError, OverflowError, ArithmeticError) as e:
            raise ColumnError(f"{where} ({self.name}) holds a value Python cannot represent: {e}") from None
        if column.nulls:
            for row in null_rows(column.nulls, count):
                values[row] = None
        return values

    def slots(self, column, count, where):
        data = getattr(column, self.field)
        if self.code is None:
            found = len(data)
        else:
            found, partial = divmod(len(data), self.width)
            if partial:
                raise ColumnError(
                    f"{where} ({self.name}) has {len(data)} bytes in '{self.field}', not a whole "
                    f"number of values")
        if found != count:
            raise ColumnError(
                f"{where} ({self.name}) has {found} values in '{self.field}' but {count} were "
                f"expected")
        return list(data) if self.code is None else unpack(self.code, data, count)

    def convert_in(self, values):
        """Wire values -> Python values (null slots included; they are replaced afterwards)."""
        return values

    # -- encoding --------------------------------------------------------------------------

    def encode(self, values, column):
        """Fill ``column`` (empty) from ``values``; None is a null. May modify ``values``."""
        types = set(map(type, values))
        if _NONE_TYPE in types:
            types.discard(_NONE_TYPE)
            if self.not_null:
                raise Refused
            mask = bytes(map(operator.is_, values, repeat(None)))
            slot = self.null_slot
            for row in compress(range(len(values)), mask):
                values[row] = slot
            column.nulls = null_bitmap(mask)
        for t in types:
            if not self.accepts(t):
                raise Refused
        self.fill(values, column, types)

    def fill(self, values, column, types):
        """Write the (null-free) values into the column's value list."""
        converted = self.convert_out(values, types)
        if self.code is None:
            getattr(column, self.field).extend(converted)
        else:
            setattr(column, self.field, pack(self.code, converted, len(values)))

    def convert_out(self, values, types):
        return values
