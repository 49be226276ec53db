"""RowBatch column <-> Python list codec: the entry points (:func:`decode`, :func:`encode`,
:func:`codec`) and the rules for what Python values each column type takes.

Speed is the point of this package (docs/protocol.md "RowBatch columns", DESIGN.md §3): no
Python-level work per row, only per null row or per distinct Python type. A refused result is
then scanned row by row (:meth:`Codec.problem`) to name the row and say why. The codecs, one per
DataType and built once by :func:`codec`, live by family:

* ``base``: the DataType kinds, :class:`ColumnError`, null bitmaps, the :class:`Codec` base class;
* ``scalar``: TINYINT .. BIGINT, FLOAT, DOUBLE, BOOLEAN, STRING, BYTES, DECIMAL;
* ``temporal``: DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ;
* ``nested``: ARRAY, MAP, ROW (and :func:`row_class`, the namedtuple of a ROW's rows).

Which Python values a result column accepts (checked before protobuf sees them, so the rules are
the same on every protobuf runtime):

=============  ============================================================================
TINYINT ..     int (and other ``numbers.Integral``, e.g. numpy ints) in the type's range; not
BIGINT         bool
FLOAT, DOUBLE  int, float (any ``numbers.Real``); not bool, not Decimal. FLOAT rounds to the
               nearest float32; a finite value beyond float32's range is refused
BOOLEAN        bool (and numpy.bool_) only; 0 / 1 are refused, they are more often a bug
STRING         str only (bytes are refused: their encoding is unknown)
BYTES          bytes, bytearray, memoryview
DECIMAL        Decimal, int, float (a float is taken as its repr: 0.1 -> Decimal('0.1'), as
               Java's BigDecimal.valueOf(double)); not NaN or infinity. DECIMAL(p, s) rounds
               half-up to s decimals and refuses values that then need more than p digits;
               unbounded DECIMAL (Types.BIG_DEC) keeps each value's own scale
DATE           date, not datetime (use .date(): silently dropping a time is a bug magnet)
TIME           naive time (no tzinfo)
TIMESTAMP      naive datetime
TIMESTAMP_LTZ  timezone-aware datetime (any zone; it travels as an instant)
ARRAY          list, tuple
MAP            dict (or any Mapping)
ROW            tuple (a Row from an input column, a namedtuple, a plain tuple) or list, of the
               row's arity
=============  ============================================================================

``None`` is a null in every column, and inside arrays, maps and rows, except the elements of Java
primitive arrays (``DataType.not_null``). What Python gets for each type is in :func:`codec`.
"""
from .. import protos
from . import nested, scalar, temporal
from .base import (ARRAY, BIGINT, BOOLEAN, BYTES, DATE, DECIMAL, DOUBLE, FIXED_WIDTH, FLOAT, INT,
                   INT_RANGE, MAP, MAX_REPR, NULL_SLOT, ROW, SLOT_FIELD, SMALLINT, STRING, TIME,
                   TIMESTAMP, TIMESTAMP_LTZ, TINYINT, Codec, ColumnError, kind_name, null_bitmap,
                   null_rows, short_repr)
from .nested import row_class

__all__ = [
    "ARRAY", "BIGINT", "BOOLEAN", "BYTES", "DATE", "DECIMAL", "DOUBLE", "FIXED_WIDTH", "FLOAT", "INT",
    "INT_RANGE", "MAP", "MAX_REPR", "NULL_SLOT", "ROW", "SLOT_FIELD", "SMALLINT", "STRING", "TIME",
    "TIMESTAMP", "TIMESTAMP_LTZ", "TINYINT", "Codec", "ColumnError", "codec", "decode", "encode",
    "find_bad_row", "kind_name", "null_bitmap", "null_rows", "row_class", "short_repr", "type_name",
]

_SCALAR_CODECS = {**scalar.CODECS, **temporal.CODECS}


def _hashable(data_type):
    """Whether Python values of this type can be dict keys."""
    if data_type.kind in (ARRAY, MAP):
        return False
    if data_type.kind == ROW:
        return all(_hashable(f.type) for f in data_type.fields)
    return True


def type_name(data_type):
    """Flink SQL-like name: BIGINT, DECIMAL(10, 2), ARRAY<STRING>, ROW<a INT, b STRING>."""
    kind = data_type.kind
    if kind == DECIMAL:
        return f"DECIMAL({data_type.precision}, {data_type.scale})" if data_type.precision else "DECIMAL"
    if kind == ARRAY:
        return f"ARRAY<{type_name(data_type.element_type)}>"
    if kind == MAP:
        return f"MAP<{type_name(data_type.key_type)}, {type_name(data_type.value_type)}>"
    if kind == ROW:
        return "ROW<" + ", ".join(f"{f.name} {type_name(f.type)}" for f in data_type.fields) + ">"
    return kind_name(kind)


def _build(data_type):
    kind = data_type.kind
    name = type_name(data_type)
    if kind in _SCALAR_CODECS:
        if kind == DECIMAL and data_type.precision and not 0 <= data_type.scale <= data_type.precision:
            raise ColumnError(f"{name} has a scale outside [0, precision]")
        return _SCALAR_CODECS[kind](data_type, name)
    if kind == ARRAY:
        return nested.ArrayCodec(data_type, name, _build(data_type.element_type))
    if kind == MAP:
        if not _hashable(data_type.key_type):
            raise ColumnError(f"{name}: Python dict keys must be hashable, so a MAP key cannot be "
                              f"or contain an ARRAY or a MAP")
        return nested.MapCodec(data_type, name, _build(data_type.key_type), _build(data_type.value_type))
    if kind == ROW:
        return nested.RowCodec(data_type, name, [f.name for f in data_type.fields],
                               [_build(f.type) for f in data_type.fields])
    raise ColumnError(f"unsupported type {kind_name(kind)}")


_codecs = {}


def codec(data_type):
    """The Codec of a DataType message (or of a bare kind number, for the scalar kinds); cached.
    A Codec passes through unchanged.

    What Python sees: TINYINT..BIGINT int; FLOAT, DOUBLE float; BOOLEAN bool; STRING str;
    BYTES bytes; DECIMAL decimal.Decimal; DATE datetime.date; TIME datetime.time;
    TIMESTAMP naive datetime.datetime; TIMESTAMP_LTZ datetime.datetime in UTC; ARRAY list;
    MAP dict; ROW a namedtuple (see row_class). Raises ColumnError for a type it cannot handle.
    """
    if isinstance(data_type, Codec):
        return data_type  # resolved once at register time, so batches skip the lookup
    if isinstance(data_type, int):
        key = data_type
    else:
        key = data_type.SerializeToString(deterministic=True)
    c = _codecs.get(key)
    if c is None:
        if isinstance(data_type, int):
            data_type = protos.DataType(kind=data_type)
        c = _codecs[key] = _build(data_type)
    return c


# ---------------------------------------------------------------------------------------------
# Package entry points


def decode(column, data_type, row_count, name="?"):
    """The Python list of one input column, with None for null rows.

    ``data_type`` is the column's DataType (or a scalar kind number).
    """
    try:
        c = codec(data_type)
    except ColumnError as e:
        raise ColumnError(f"input column '{name}' has {e}") from None
    return c.decode(column, row_count, f"input column '{name}'")


def find_bad_row(c, values):
    """(row, value, reason) of the first value codec ``c`` cannot hold, or None."""
    for row, value in enumerate(values):
        if value is None:
            if c.not_null:
                return row, value, "the column cannot hold nulls"
            continue
        problem = c.problem(value)
        if problem is not None:
            return row, value, problem
    return None


def encode(values, data_type, column, describe):
    """Fill ``column`` (an empty Column message) from a list of results; None means null.

    ``data_type`` is the result's DataType (or a scalar kind number). ``describe`` names the
    producer for error messages, e.g. "Python function 'm:f' (output column 'x')". ``values``
    may be modified (nulls are replaced by the column's null slot).
    """
    try:
        c = codec(data_type)
    except ColumnError as e:
        raise ColumnError(f"{describe}: unsupported result type: {e}") from None
    try:
        c.encode(values, column)
        return
    except Exception as e:  # noqa: BLE001 - refused values of any kind; named below
        cause = e
    bad = find_bad_row(c, values)
    if bad is None:  # should not happen: a conversion refused what our checks allowed
        raise ColumnError(
            f"{describe}: the results cannot be encoded as a {c.name} column: "
            f"{type(cause).__name__}: {cause}")
    row, value, problem = bad
    raise ColumnError(
        f"{describe} returned {short_repr(value)} on row {row} of the batch, which the "
        f"{c.name} column cannot hold: {problem}")
