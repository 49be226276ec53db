"""RowBatch column <-> Python list codec.

Speed is the point of this module (docs/protocol.md "RowBatch columns", DESIGN.md §3). Fixed-width
and string columns are decoded by ``list(col.longs)`` and encoded by ``col.longs.extend(values)``,
both loops in C. Derived types do their per-value work with C-level ``map`` chains (e.g.
``map(date.fromordinal, map(EPOCH.__add__, longs))``) or, where that measured faster, one small
Python function per value. Nested columns are offsets plus child columns: a list row is a slice of
the child list, a dict row ``dict(zip(key_slice, value_slice))``, a row ``tuple.__new__(Row, ...)``
over ``zip(*fields)``, so there is still no Python loop body per row. Elsewhere the Python-level
work is per null row or per distinct Python type, never per row:

* null bitmaps are turned into / built from a byte-per-row mask with int <-> binary-string
  conversions and ``bytes.translate``, and ``itertools.compress`` picks the null rows;
* result validation is ``set(map(type, values))`` (about 12 ns per row) plus a check of each
  distinct type, then range checks in C (``min``/``max``, ``struct.pack``); only when a value is
  refused do we scan row by row (:meth:`Codec.problem`), to name the row and say why.

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
import collections
import collections.abc
import datetime
import decimal
import numbers
import operator
import struct
from itertools import accumulate, chain, compress, islice, repeat

from . import protos

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

# Which repeated field of Column holds each scalar kind, and what a null slot holds on the wire.
SLOT_FIELD = {
    BIGINT: "longs", INT: "longs", SMALLINT: "longs", TINYINT: "longs",
    DATE: "longs", TIME: "longs", TIMESTAMP: "longs", TIMESTAMP_LTZ: "longs",
    DOUBLE: "doubles", FLOAT: "floats", BOOLEAN: "bools",
    STRING: "strings", DECIMAL: "strings", BYTES: "binaries",
}
NULL_SLOT = {BIGINT: 0, INT: 0, DOUBLE: 0.0, BOOLEAN: False, STRING: ""}
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


class ColumnError(Exception):
    """A column cannot be decoded or a result cannot be encoded; the message says which."""


class _Refused(Exception):
    """Raised by the fast encoding paths; encode() then scans for the row to name."""


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
# Codecs: one per DataType, built once (see codec()).


class Codec:
    """Decodes a Column into a list and encodes a list into a Column, for one DataType.

    ``encode`` may raise anything when a value is refused (``_Refused``, or the TypeError /
    ValueError / OverflowError of a conversion); the module-level :func:`encode` then calls
    :meth:`problem` row by row to name the culprit.
    """

    field = None  # the Column value list, for scalar kinds
    null_slot = None  # what a null row holds while encoding; must be a value encode() accepts

    def __init__(self, data_type, name):
        self.kind = data_type.kind
        self.name = name
        self.not_null = data_type.not_null
        self._accepted = {}

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
        values = list(getattr(column, self.field))
        if len(values) != count:
            raise ColumnError(
                f"{where} ({self.name}) has {len(values)} values in '{self.field}' but "
                f"{count} were expected")
        return values

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
                raise _Refused
            mask = bytes(map(operator.is_, values, repeat(None)))
            slot = self.null_slot
            for row in compress(range(len(values)), mask):
                values[row] = slot
            column.nulls = null_bitmap(mask)
        for t in types:
            if not self.accepts(t):
                raise _Refused
        self.fill(values, column, types)

    def fill(self, values, column, types):
        """Write the (null-free) values into the column's value list."""
        getattr(column, self.field).extend(self.convert_out(values, types))

    def convert_out(self, values, types):
        return values


class _IntCodec(Codec):
    field = "longs"
    null_slot = 0

    def __init__(self, data_type, name):
        super().__init__(data_type, name)
        self.low, self.high = INT_RANGE[self.kind]

    def accepts_type(self, t):
        return t is not bool and issubclass(t, numbers.Integral)

    def value_problem(self, value):
        if not self.low <= value <= self.high:
            return f"out of range for {self.name} [{self.low}, {self.high}]"
        return None

    def fill(self, values, column, types):
        # BIGINT: protobuf itself refuses ints beyond int64.
        if self.kind != BIGINT and values and (min(values) < self.low or max(values) > self.high):
            raise _Refused
        column.longs.extend(values)


class _DoubleCodec(Codec):
    field = "doubles"
    null_slot = 0.0

    def accepts_type(self, t):
        # Decimal is not a numbers.Real; a silent precision change is better made explicit.
        return t is not bool and issubclass(t, numbers.Real)

    def value_problem(self, value):
        try:
            float(value)
        except (OverflowError, ValueError, TypeError) as e:
            return f"not convertible to a double: {e}"
        return None


class _FloatCodec(_DoubleCodec):
    field = "floats"

    def value_problem(self, value):
        try:
            struct.pack("<f", value)
        except (OverflowError, ValueError, TypeError, struct.error) as e:
            return f"not convertible to a FLOAT (float32): {e}"
        return None

    def fill(self, values, column, types):
        # protobuf turns a finite value beyond float32 into inf without a word; struct refuses it
        # (and rounds exactly as the float32 cast does, so the limit is the rounding boundary).
        struct.pack(f"<{len(values)}f", *values)
        column.floats.extend(values)


class _BoolCodec(Codec):
    field = "bools"
    null_slot = False

    def accepts_type(self, t):
        return t is bool or (t.__module__ == "numpy" and t.__name__ in ("bool_", "bool"))


class _StringCodec(Codec):
    field = "strings"
    null_slot = ""

    def accepts_type(self, t):
        return issubclass(t, str)

    def value_problem(self, value):
        try:
            value.encode("utf-8")
        except UnicodeError as e:
            return f"not encodable as UTF-8: {e}"
        return None


class _BytesCodec(Codec):
    field = "binaries"
    null_slot = b""

    def accepts_type(self, t):
        return issubclass(t, (bytes, bytearray, memoryview))

    def convert_out(self, values, types):
        if types - {bytes}:
            return list(map(bytes, values))
        return values


# Decimal arithmetic here must never round behind our back: conversions are exact, and quantize
# uses its own context (see _DecimalCodec).
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
                         traps=[decimal.InvalidOperation])
_JAVA_SCALE = (-(1 << 31), (1 << 31) - 1)  # BigDecimal's scale is an int; exponent = -scale


def _to_decimal(value):
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, float):
        return decimal.Decimal(repr(value))  # shortest repr: 0.1 -> Decimal('0.1')
    return decimal.Decimal(value)  # int: exact


class _DecimalCodec(Codec):
    """Decimal text on the wire (strings): exact for any precision, and measured faster both ways
    than an unscaled integer plus scale (``Decimal(text)`` 130 ns vs ``Decimal(int).scaleb(-s)``
    180 ns per value; ``str(d)`` 80 ns vs ``int(d.scaleb(s))`` 190 ns)."""

    field = "strings"
    null_slot = decimal.Decimal(0)

    def __init__(self, data_type, name):
        super().__init__(data_type, name)
        self.precision = data_type.precision
        self.scale = data_type.scale
        if self.precision:
            self.quantum = decimal.Decimal(1).scaleb(-self.scale)
            # quantize() raises InvalidOperation when the result needs more than prec digits:
            # exactly the precision check.
            self.context = decimal.Context(prec=self.precision, rounding=decimal.ROUND_HALF_UP,
                                           Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
                                           traps=[decimal.InvalidOperation])

    def accepts_type(self, t):
        return t is not bool and issubclass(t, (decimal.Decimal, numbers.Integral, float))

    def value_problem(self, value):
        d = _to_decimal(value)
        if not d.is_finite():
            return f"{self.name} cannot hold {d}"
        if self.precision:
            try:
                d.quantize(self.quantum, context=self.context)
            except decimal.InvalidOperation:
                return (f"it needs more than {self.precision} digits with {self.scale} after the "
                        f"point")
            return None
        exponent = d.as_tuple().exponent
        if not _JAVA_SCALE[0] <= -exponent <= _JAVA_SCALE[1]:
            return f"its exponent {exponent} is beyond what Java's BigDecimal can hold"
        return None

    def convert_in(self, values):
        return list(map(decimal.Decimal, values))

    def slots(self, column, count, where):
        values = super().slots(column, count, where)
        if column.nulls:  # "" is not a Decimal
            for row in null_rows(column.nulls, count):
                values[row] = "0"
        return values

    def convert_out(self, values, types):
        if types - {decimal.Decimal}:
            values = list(map(_to_decimal, values))
        if not all(map(decimal.Decimal.is_finite, values)):
            raise _Refused
        if self.precision:
            values = list(map(decimal.Decimal.quantize, values, repeat(self.quantum),
                              repeat(None), repeat(self.context)))
        elif values:
            # adjusted() is the exponent of the leading digit: cheap, and within a few digits of
            # the exponent for any Decimal that fits in memory.
            if (min(map(decimal.Decimal.adjusted, values)) < _JAVA_SCALE[0] + (1 << 30)
                    or max(map(decimal.Decimal.adjusted, values)) > _JAVA_SCALE[1] - (1 << 30)):
                if any(map(self.value_problem, values)):
                    raise _Refused
        return list(map(str, values))


_EPOCH_DATE = datetime.date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH_DATE.toordinal()
_EPOCH = datetime.datetime(1970, 1, 1)
_EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_ONE_MICRO = datetime.timedelta(microseconds=1)
_TIMEDELTA = datetime.timedelta
_TZINFO = operator.attrgetter("tzinfo")


class _DateCodec(Codec):
    field = "longs"
    null_slot = _EPOCH_DATE

    def accepts_type(self, t):
        return issubclass(t, datetime.date) and not issubclass(t, datetime.datetime)

    def type_problem(self, value):
        if isinstance(value, datetime.datetime):
            return "a DATE column cannot hold a datetime; return value.date() to drop the time"
        return super().type_problem(value)

    def convert_in(self, values):
        return list(map(datetime.date.fromordinal, map(_EPOCH_ORDINAL.__add__, values)))

    def convert_out(self, values, types):
        return map(_EPOCH_ORDINAL.__rsub__, map(datetime.date.toordinal, values))


def _micros_of_day(t):
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1000000 + t.microsecond


def _time_of_micros(micros):
    seconds, micros = divmod(micros, 1000000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return datetime.time(hours, minutes, seconds, micros)


class _TimeCodec(Codec):
    field = "longs"
    null_slot = datetime.time()

    def accepts_type(self, t):
        return issubclass(t, datetime.time)

    def value_problem(self, value):
        if value.tzinfo is not None:
            return "a TIME column needs a naive time (tzinfo None); Java's LocalTime has no zone"
        return None

    def convert_in(self, values):
        # One Python call per value measured faster (300 ns) than a chain of C maps through
        # datetime + timedelta (470 ns).
        return list(map(_time_of_micros, values))

    def convert_out(self, values, types):
        if any(map(_TZINFO, values)):
            raise _Refused
        return map(_micros_of_day, values)


class _TimestampCodec(Codec):
    field = "longs"

    def __init__(self, data_type, name):
        super().__init__(data_type, name)
        self.epoch = _EPOCH_UTC if self.kind == TIMESTAMP_LTZ else _EPOCH
        self.null_slot = self.epoch

    def accepts_type(self, t):
        return issubclass(t, datetime.datetime)

    def value_problem(self, value):
        aware = value.utcoffset() is not None
        if self.kind == TIMESTAMP_LTZ and not aware:
            return ("a TIMESTAMP_LTZ (Instant) column needs a timezone-aware datetime, e.g. "
                    "datetime.now(timezone.utc); this one is naive")
        if self.kind == TIMESTAMP and aware:
            return ("a TIMESTAMP (LocalDateTime) column needs a naive datetime; this one has "
                    f"tzinfo {value.tzinfo!r} (use .replace(tzinfo=None) or declare Types.INSTANT)")
        return None

    def convert_in(self, values):
        return list(map(self.epoch.__add__, map(_TIMEDELTA, repeat(0), repeat(0), values)))

    def convert_out(self, values, types):
        # naive - aware (and the reverse) raises TypeError: problem() then says which.
        return map(_ONE_MICRO.__rfloordiv__, map(self.epoch.__rsub__, values))


_EMPTY_COLUMN = protos.Column()


class _ArrayCodec(Codec):
    null_slot = ()

    def __init__(self, data_type, name, element):
        super().__init__(data_type, name)
        self.element = element

    def accepts_type(self, t):
        return issubclass(t, (list, tuple))

    def value_problem(self, value):
        element = self.element
        for i, e in enumerate(value):
            if e is None:
                if element.not_null:
                    return (f"element {i} is None, but this array's elements cannot be null (a Java "
                            f"primitive array, or a list whose elements Flink cannot serialize as null)")
                continue
            problem = element.problem(e)
            if problem is not None:
                return f"element {i} ({short_repr(e)}): {problem}"
        return None

    def lengths(self, column, count, where):
        lengths = list(column.lengths)
        if len(lengths) != count:
            raise ColumnError(f"{where} ({self.name}) has {len(lengths)} lengths but {count} rows")
        return lengths

    def child(self, column, index, count, where):
        if len(column.children) > index:
            return column.children[index]
        if count == 0:
            return _EMPTY_COLUMN
        raise ColumnError(f"{where} ({self.name}) lacks child column {index}")

    def decode(self, column, count, where):
        lengths = self.lengths(column, count, where)
        offsets = list(accumulate(lengths, initial=0))
        elements = self.element.decode(self.child(column, 0, offsets[-1], where), offsets[-1],
                                       f"{where} elements")
        values = list(map(elements.__getitem__, map(slice, offsets, islice(offsets, 1, None))))
        if column.nulls:
            for row in null_rows(column.nulls, count):
                values[row] = None
        return values

    def fill(self, values, column, types):
        column.lengths.extend(map(len, values))
        self.element.encode(list(chain.from_iterable(values)), column.children.add())


class _MapCodec(_ArrayCodec):
    null_slot = {}

    def __init__(self, data_type, name, key, value):
        Codec.__init__(self, data_type, name)
        self.key = key
        self.value = value

    def accepts_type(self, t):
        return issubclass(t, collections.abc.Mapping)

    def value_problem(self, value):
        for k, v in value.items():
            if k is None:
                if self.key.not_null:
                    return "a key is None, but Flink cannot serialize null keys of this map"
            else:
                problem = self.key.problem(k)
                if problem is not None:
                    return f"key {short_repr(k)}: {problem}"
            if v is not None:
                problem = self.value.problem(v)
                if problem is not None:
                    return f"value for key {short_repr(k)} ({short_repr(v)}): {problem}"
        return None

    def decode(self, column, count, where):
        lengths = self.lengths(column, count, where)
        offsets = list(accumulate(lengths, initial=0))
        total = offsets[-1]
        keys = self.key.decode(self.child(column, 0, total, where), total, f"{where} keys")
        items = self.value.decode(self.child(column, 1, total, where), total, f"{where} values")
        slices = list(map(slice, offsets, islice(offsets, 1, None)))
        values = list(map(dict, map(zip, map(keys.__getitem__, slices), map(items.__getitem__, slices))))
        if column.nulls:
            for row in null_rows(column.nulls, count):
                values[row] = None
        return values

    def fill(self, values, column, types):
        if any(not issubclass(t, dict) for t in types):
            values = [v if isinstance(v, dict) else dict(v) for v in values]
        column.lengths.extend(map(len, values))
        self.key.encode(list(chain.from_iterable(map(dict.keys, values))), column.children.add())
        self.value.encode(list(chain.from_iterable(map(dict.values, values))), column.children.add())


def row_class(names):
    """The class of the rows of a ROW column: a namedtuple named Row over the field names.
    Names that are not Python identifiers (or are keywords, or start with '_') become _0, _1, ...
    by position; the rows are tuples all the same."""
    cls = collections.namedtuple("Row", names, rename=True)
    cls.__module__ = __name__
    return cls


class _RowCodec(Codec):
    def __init__(self, data_type, name, names, fields):
        super().__init__(data_type, name)
        self.names = names
        self.fields = fields
        self.arity = len(fields)
        self.row_class = row_class(names)
        self.null_slot = (None,) * self.arity
        self._new = tuple.__new__

    def accepts_type(self, t):
        return issubclass(t, (tuple, list))

    def value_problem(self, value):
        if len(value) != self.arity:
            return f"it has {len(value)} fields where the row type has {self.arity}"
        for name, field, v in zip(self.names, self.fields, value):
            if v is not None:
                problem = field.problem(v)
                if problem is not None:
                    return f"field '{name}' ({short_repr(v)}): {problem}"
        return None

    def decode(self, column, count, where):
        if count == 0 and not column.children:
            return []
        if len(column.children) != self.arity:
            raise ColumnError(
                f"{where} ({self.name}) has {len(column.children)} field columns, expected {self.arity}")
        if self.arity:
            fields = [field.decode(child, count, f"{where} field '{name}'")
                      for name, field, child in zip(self.names, self.fields, column.children)]
            values = list(map(self._new, repeat(self.row_class), zip(*fields)))
        else:
            values = [self.row_class()] * count
        if column.nulls:
            for row in null_rows(column.nulls, count):
                values[row] = None
        return values

    def fill(self, values, column, types):
        if set(map(len, values)) - {self.arity}:
            raise _Refused
        if values:
            for field, field_values in zip(self.fields, zip(*values)):
                field.encode(list(field_values), column.children.add())
        else:
            for field in self.fields:
                column.children.add()


_SCALAR_CODECS = {
    BIGINT: _IntCodec, INT: _IntCodec, SMALLINT: _IntCodec, TINYINT: _IntCodec,
    DOUBLE: _DoubleCodec, FLOAT: _FloatCodec, BOOLEAN: _BoolCodec, STRING: _StringCodec,
    BYTES: _BytesCodec, DECIMAL: _DecimalCodec, DATE: _DateCodec, TIME: _TimeCodec,
    TIMESTAMP: _TimestampCodec, TIMESTAMP_LTZ: _TimestampCodec,
}


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
        return _ArrayCodec(data_type, name, _build(data_type.element_type))
    if kind == MAP:
        if not _hashable(data_type.key_type):
            raise ColumnError(f"{name}: Python dict keys must be hashable, so a MAP key cannot be "
                              f"or contain an ARRAY or a MAP")
        return _MapCodec(data_type, name, _build(data_type.key_type), _build(data_type.value_type))
    if kind == ROW:
        return _RowCodec(data_type, name, [f.name for f in data_type.fields],
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
# Module entry points


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
