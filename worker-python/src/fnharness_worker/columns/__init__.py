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

What Python gets and what a result column accepts is in each codec's docstring (and, for the
runner's side too, in docs/protocol.md "RowBatch columns"); the checks run before protobuf sees
the values, so the rules are the same on every protobuf runtime. ``None`` is a null in every
column, and inside arrays, maps and rows, except the elements of Java primitive arrays
(``DataType.not_null``).

**The column-type extension point**: a new type is one :class:`Codec` subclass in the family
module it belongs to, registered under its ``DataType.Kind`` name in :data:`CODECS`.
"""
from .. import protos
from . import nested, scalar, temporal
from .base import (ARRAY, BIGINT, BOOLEAN, BYTES, DATE, DECIMAL, DOUBLE, FIXED_WIDTH, FLOAT, INT,
                   INT_RANGE, MAP, MAX_REPR, ROW, SMALLINT, STRING, TIME, TIMESTAMP, TIMESTAMP_LTZ,
                   TINYINT, Codec, ColumnError, RefusedResult, kind_name, kind_of, null_bitmap, null_rows,
                   short_repr)
from .nested import row_class

__all__ = [
    "ARRAY", "BIGINT", "BOOLEAN", "BYTES", "CODECS", "DATE", "DECIMAL", "DOUBLE", "FIXED_WIDTH", "FLOAT",
    "INT", "INT_RANGE", "MAP", "MAX_REPR", "ROW", "SLOT_FIELD", "SMALLINT", "STRING", "TIME", "TIMESTAMP",
    "TIMESTAMP_LTZ", "TINYINT", "Codec", "ColumnError", "RefusedResult", "codec", "decode", "encode",
    "field_codecs", "find_bad_row", "kind_name", "null_bitmap", "null_rows", "row_class", "short_repr",
    "type_name",
]

# The codec class of every DataType.Kind the worker handles, by kind.
CODECS = {kind_of(name): cls for name, cls in {
    "TINYINT": scalar.IntCodec,
    "SMALLINT": scalar.IntCodec,
    "INT": scalar.IntCodec,
    "BIGINT": scalar.IntCodec,
    "FLOAT": scalar.FloatCodec,
    "DOUBLE": scalar.DoubleCodec,
    "BOOLEAN": scalar.BoolCodec,
    "STRING": scalar.StringCodec,
    "BYTES": scalar.BytesCodec,
    "DECIMAL": scalar.DecimalCodec,
    "DATE": temporal.DateCodec,
    "TIME": temporal.TimeCodec,
    "TIMESTAMP": temporal.TimestampCodec,
    "TIMESTAMP_LTZ": temporal.TimestampCodec,
    "ARRAY": nested.ArrayCodec,
    "MAP": nested.MapCodec,
    "ROW": nested.RowCodec,
}.items()}

# Which value list of Column holds each kind that has one (the nested kinds have none).
SLOT_FIELD = {kind: cls.field for kind, cls in CODECS.items() if cls.field}


def _build(data_type):
    cls = CODECS.get(data_type.kind)
    if cls is None:
        raise ColumnError(f"unsupported type {kind_name(data_type.kind)}")
    return cls.from_type(data_type, _build)


_codecs = {}


def codec(data_type):
    """The Codec of a DataType message (or of a bare kind number, for the scalar kinds); cached.
    A Codec passes through unchanged. Raises ColumnError for a type it cannot handle.
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


def type_name(data_type):
    """Flink SQL-like name: BIGINT, DECIMAL(10, 2), ARRAY<STRING>, ROW<a INT, b STRING>."""
    return codec(data_type).name


def field_codecs(fields, role):
    """[(name, Codec)] of a schema, resolved once at register time: ``fields`` are Field messages,
    ``role`` is what errors call the columns ("input", "output"). Raises ColumnError naming the
    column."""
    resolved = []
    for field in fields:
        name, data_type = field.name, field.type
        try:
            resolved.append((name, codec(data_type)))
        except ColumnError as e:
            raise ColumnError(f"{role} column '{name}' has {e}") from None
    return resolved


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


def encode(values, data_type, column, label):
    """Fill ``column`` (an empty Column message) from a list of results; None means null.

    ``data_type`` is the result's DataType (or a scalar kind number). ``label`` is how errors
    name the producer, e.g. "Python function 'm:f' (output column 'x')". ``values`` may be
    modified (nulls are replaced by the column's null slot). A refused value raises
    :class:`RefusedResult`.
    """
    try:
        c = codec(data_type)
    except ColumnError as e:
        raise ColumnError(f"{label}: unsupported result type: {e}") from None
    try:
        c.encode(values, column)
        return
    except Exception as e:  # noqa: BLE001 - refused values of any kind; named below
        cause = e
    bad = find_bad_row(c, values)
    if bad is None:  # should not happen: a conversion refused what our checks allowed
        raise ColumnError(
            f"{label}: the results cannot be encoded as a {c.name} column: "
            f"{type(cause).__name__}: {cause}")
    raise RefusedResult(label, c.name, *bad)
