"""Codecs of the scalar kinds that are not about time: TINYINT .. BIGINT, FLOAT, DOUBLE, BOOLEAN,
STRING, BYTES and DECIMAL.

Fixed-width columns are decoded and encoded by one ``struct`` call over the packed run (see
``base``), string columns by ``list(col.strings)`` and ``col.strings.extend(values)``: loops in
C. Range checks are C too (``struct.pack``, ``min`` / ``max``). Each codec's docstring says which
Python values a result column of its type accepts.
"""
import decimal
import numbers
import struct
from itertools import repeat

from .base import BIGINT, INT_RANGE, Codec, ColumnError, Refused, null_rows


class IntCodec(Codec):
    """TINYINT, SMALLINT, INT, BIGINT: int (and other ``numbers.Integral``, e.g. numpy ints) in
    the type's range; not bool."""

    field = "longs"
    null_slot = 0

    def __init__(self, data_type):
        super().__init__(data_type)
        self.low, self.high = INT_RANGE[self.kind]

    def accepts_type(self, t):
        return t is not bool and issubclass(t, numbers.Integral)

    def value_problem(self, value):
        if not self.low <= value <= self.high:
            return f"out of range for {self.name} [{self.low}, {self.high}]"
        return None

    def fill(self, values, column, types):
        # BIGINT: packing refuses ints beyond int64.
        if self.kind != BIGINT and values and (min(values) < self.low or max(values) > self.high):
            raise Refused
        super().fill(values, column, types)


class DoubleCodec(Codec):
    """DOUBLE: int, float (any ``numbers.Real``); not bool, not Decimal."""

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


class FloatCodec(DoubleCodec):
    """FLOAT: as DOUBLE, rounded to the nearest float32. Packing (struct) refuses a finite value
    beyond float32, which protobuf would have made inf without a word, and rounds exactly as the
    float32 cast does, so the limit is the rounding boundary."""

    field = "floats"

    def value_problem(self, value):
        try:
            struct.pack("<f", value)
        except (OverflowError, ValueError, TypeError, struct.error) as e:
            return f"not convertible to a FLOAT (float32): {e}"
        return None


class BoolCodec(Codec):
    """BOOLEAN: bool (and numpy.bool_) only; 0 / 1 are refused, they are more often a bug."""

    field = "bools"
    null_slot = False

    def accepts_type(self, t):
        return t is bool or (t.__module__ == "numpy" and t.__name__ in ("bool_", "bool"))


class StringCodec(Codec):
    """STRING: str only (bytes are refused: their encoding is unknown)."""

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


class BytesCodec(Codec):
    """BYTES: bytes, bytearray, memoryview."""

    field = "binaries"
    null_slot = b""

    def accepts_type(self, t):
        return issubclass(t, (bytes, bytearray, memoryview))

    def convert_out(self, values, types):
        if types - {bytes}:
            return list(map(bytes, values))
        return values


_JAVA_SCALE = (-(1 << 31), (1 << 31) - 1)  # BigDecimal's scale is an int; exponent = -scale


def _to_decimal(value):
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, float):
        return decimal.Decimal(repr(value))  # shortest repr: 0.1 -> Decimal('0.1')
    return decimal.Decimal(value)  # int: exact


class DecimalCodec(Codec):
    """DECIMAL: Decimal, int, float (a float is taken as its repr: 0.1 -> Decimal('0.1'), as
    Java's BigDecimal.valueOf(double)); not NaN or infinity. DECIMAL(p, s) rounds half-up to s
    decimals and refuses values that then need more than p digits; unbounded DECIMAL
    (Types.BIG_DEC, precision 0) keeps each value's own scale.

    Decimal text on the wire (strings): exact for any precision, and measured faster both ways
    than an unscaled integer plus scale (``Decimal(text)`` 130 ns vs ``Decimal(int).scaleb(-s)``
    180 ns per value; ``str(d)`` 80 ns vs ``int(d.scaleb(s))`` 190 ns)."""

    field = "strings"
    null_slot = decimal.Decimal(0)

    def __init__(self, data_type):
        self.precision = data_type.precision
        self.scale = data_type.scale
        super().__init__(data_type, f"DECIMAL({self.precision}, {self.scale})" if self.precision else "DECIMAL")
        if self.precision and not 0 <= self.scale <= self.precision:
            raise ColumnError(f"{self.name} has a scale outside [0, precision]")
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
            raise Refused
        if self.precision:
            values = list(map(decimal.Decimal.quantize, values, repeat(self.quantum),
                              repeat(None), repeat(self.context)))
        elif values:
            # adjusted() is the exponent of the leading digit: cheap, and within a few digits of
            # the exponent for any Decimal that fits in memory.
            if (min(map(decimal.Decimal.adjusted, values)) < _JAVA_SCALE[0] + (1 << 30)
                    or max(map(decimal.Decimal.adjusted, values)) > _JAVA_SCALE[1] - (1 << 30)):
                if any(map(self.value_problem, values)):
                    raise Refused
        return list(map(str, values))

