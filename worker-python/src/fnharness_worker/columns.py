"""RowBatch column <-> Python list codec.

Speed is the point of this module (docs/protocol.md "RowBatch columns", DESIGN.md §3): a column
without nulls is decoded by ``list(col.longs)`` and encoded by ``col.longs.extend(values)``, both
loops in C. Everything else is arranged so that the Python-level work is per null row or per
distinct Python type, never per row:

* null bitmaps are turned into / built from a byte-per-row mask with int <-> binary-string
  conversions and ``bytes.translate``, and ``itertools.compress`` picks the null rows;
* result validation is ``set(map(type, values))`` (about 12 ns per row) plus a check of each
  distinct type; only when a bad type or value is found do we scan row by row, to name it.

Which Python values a result column accepts (same on every protobuf runtime, because we check
before protobuf sees them; protobuf's own rules differ between versions):

=========  ================================================================================
BIGINT     int (and other ``numbers.Integral``, e.g. numpy ints) in int64 range; not bool
INT        the same, in int32 range
DOUBLE     int, float (any ``numbers.Real``, e.g. Fraction, numpy floats); not bool, not
           Decimal (a silent precision change is better made explicit by the function)
BOOLEAN    bool (and numpy.bool_) only; 0 / 1 are rejected, they are more often a bug
STRING     str only (bytes are rejected: their encoding is unknown)
=========  ================================================================================

``None`` is a null in every column.
"""
import itertools
import numbers
import operator

from . import protos

_KINDS = protos.enum_values("fnharness.v1.DataType.Kind")
_KIND_NAMES = {number: name for name, number in _KINDS.items()}
BIGINT = _KINDS["BIGINT"]
INT = _KINDS["INT"]
DOUBLE = _KINDS["DOUBLE"]
BOOLEAN = _KINDS["BOOLEAN"]
STRING = _KINDS["STRING"]

# Which repeated field of Column holds each kind, and what a null slot holds.
SLOT_FIELD = {BIGINT: "longs", INT: "longs", DOUBLE: "doubles", BOOLEAN: "bools", STRING: "strings"}
NULL_SLOT = {BIGINT: 0, INT: 0, DOUBLE: 0.0, BOOLEAN: False, STRING: ""}
INT_RANGE = {BIGINT: (-(1 << 63), (1 << 63) - 1), INT: (-(1 << 31), (1 << 31) - 1)}

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


class ColumnError(Exception):
    """A column cannot be decoded or a result cannot be encoded; the message says which."""


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
    return itertools.compress(range(row_count), mask)


def null_bitmap(mask):
    """The nulls bytes for a byte-per-row mask (1 = null); empty when no row is null."""
    bits = int(mask.translate(_TO_ASCII)[::-1], 2) if mask else 0
    if not bits:
        return b""
    return bits.to_bytes((len(mask) + 7) // 8, "little")


# ---------------------------------------------------------------------------------------------
# Decoding


def decode(column, kind, row_count, name="?"):
    """The Python list of one input column, with None for null rows."""
    field = SLOT_FIELD.get(kind)
    if field is None:
        raise ColumnError(f"input column '{name}' has unsupported type {kind_name(kind)}")
    values = list(getattr(column, field))
    if len(values) != row_count:
        raise ColumnError(
            f"input column '{name}' ({kind_name(kind)}) has {len(values)} values in "
            f"'{field}' but the batch has row_count {row_count}")
    if column.nulls:
        for row in null_rows(column.nulls, row_count):
            values[row] = None
    return values


# ---------------------------------------------------------------------------------------------
# Encoding


def _type_accepted(kind, t):
    if t is bool:
        return kind == BOOLEAN
    if kind in (BIGINT, INT):
        return issubclass(t, numbers.Integral)
    if kind == DOUBLE:
        return issubclass(t, numbers.Real)
    if kind == BOOLEAN:
        return t.__module__ == "numpy" and t.__name__ in ("bool_", "bool")
    if kind == STRING:
        return issubclass(t, str)
    return False


_accepted_cache = {}


def type_accepted(kind, t):
    """Whether a result column of ``kind`` may hold values of Python type ``t`` (cached)."""
    key = (kind, t)
    ok = _accepted_cache.get(key)
    if ok is None:
        ok = _accepted_cache[key] = _type_accepted(kind, t)
    return ok


def _value_problem(kind, value):
    """Why ``value`` (not None) cannot go into a column of ``kind``, or None if it can."""
    if not type_accepted(kind, type(value)):
        return f"a {kind_name(kind)} column cannot hold a value of type {type(value).__name__}"
    if kind in INT_RANGE:
        low, high = INT_RANGE[kind]
        if not low <= value <= high:
            return f"out of range for {kind_name(kind)} [{low}, {high}]"
    elif kind == DOUBLE:
        try:
            float(value)
        except (OverflowError, ValueError, TypeError) as e:
            return f"not convertible to a double: {e}"
    elif kind == STRING:
        try:
            value.encode("utf-8")
        except UnicodeError as e:
            return f"not encodable as UTF-8: {e}"
    return None


def find_bad_row(kind, values):
    """(row, value, reason) of the first value the column cannot hold, or None."""
    for row, value in enumerate(values):
        if value is not None:
            problem = _value_problem(kind, value)
            if problem is not None:
                return row, value, problem
    return None


def encode(values, kind, column, describe):
    """Fill ``column`` (an empty Column message) from a list of results; None means null.

    ``describe`` names the producer for error messages, e.g. "Python function 'm:f' (output
    column 'x')". ``values`` may be modified (nulls are replaced by the column's null slot).
    """
    field = SLOT_FIELD.get(kind)
    if field is None:
        raise ColumnError(f"{describe}: unsupported result type {kind_name(kind)}")

    def fail():
        bad = find_bad_row(kind, values)
        if bad is None:  # should not happen: protobuf refused something our checks allowed
            raise ColumnError(f"{describe}: protobuf refused the results for a {kind_name(kind)} column")
        row, value, problem = bad
        raise ColumnError(
            f"{describe} returned {short_repr(value)} on row {row} of the batch, which the "
            f"{kind_name(kind)} column cannot hold: {problem}")

    types = set(map(type, values))
    has_nulls = _NONE_TYPE in types
    types.discard(_NONE_TYPE)
    for t in types:
        if not type_accepted(kind, t):
            fail()

    if has_nulls:
        mask = bytes(map(operator.is_, values, itertools.repeat(None)))
        null_slot = NULL_SLOT[kind]
        for row in itertools.compress(range(len(values)), mask):
            values[row] = null_slot
        column.nulls = null_bitmap(mask)

    if kind == INT and values and (min(values) < INT_RANGE[INT][0] or max(values) > INT_RANGE[INT][1]):
        fail()
    slots = getattr(column, field)
    try:
        slots.extend(values)
    except (TypeError, ValueError, OverflowError):
        # int64 overflow, an int too big for a double, a lone surrogate in a str, ...
        fail()
