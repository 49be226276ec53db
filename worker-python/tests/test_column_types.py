"""The columns package for every type beyond the first five: wire layout, round trips, refused results."""
import collections
import datetime
import math
import random
import types
from decimal import Decimal

import pytest

from conftest import contract_of, view_of
from fnharness_worker import columns, protos
from fnharness_worker.columns import ColumnError

D = protos.DataType
K = columns
UTC = datetime.timezone.utc
DESCRIBE = "Python function 'mod:fn' (output column 'out')"


def t(kind, **kwargs):
    return D(kind=kind, **kwargs)


def array(element):
    return D(kind=K.ARRAY, element_type=element)


def map_of(key, value):
    return D(kind=K.MAP, key_type=key, value_type=value)


def row(**fields):
    data_type = D(kind=K.ROW)
    for name, field_type in fields.items():
        data_type.fields.add(name=name, type=field_type)
    return data_type


def encoded(values, data_type):
    column = protos.ColumnView()
    columns.encode(list(values), data_type, column, DESCRIBE)
    return contract_of(column)  # as the runner reads it


def round_trip(values, data_type):
    return columns.decode(view_of(encoded(values, data_type)), data_type, len(values), "c")


def error(values, data_type):
    with pytest.raises(ColumnError) as info:
        columns.encode(list(values), data_type, protos.ColumnView(), DESCRIBE)
    return str(info.value)


def assert_error(values, data_type, row, bad, *parts):
    message = error(values, data_type)
    assert message.startswith(f"{DESCRIBE} returned {bad} on row {row} of the batch, which the "), message
    for part in parts:
        assert part in message, message


# ---------------------------------------------------------------------------------------------
# Integers, floats, bytes


@pytest.mark.parametrize("kind, low, high", [(K.TINYINT, -128, 127), (K.SMALLINT, -32768, 32767)])
def test_small_integers_round_trip_and_refuse_values_beyond_their_range(kind, low, high):
    assert round_trip([low, None, high, 0], t(kind)) == [low, None, high, 0]
    assert list(encoded([low, high], t(kind)).longs) == [low, high]
    assert_error([0, high + 1], t(kind), 1, str(high + 1), f"out of range for {columns.kind_name(kind)}")
    assert_error([low - 1], t(kind), 0, str(low - 1))


def test_floats_travel_as_float32_and_round_to_nearest():
    values = [1.5, -0.0, math.inf, -math.inf, None, 3.4028234663852886e38, 1e-45]
    decoded = round_trip(values, t(K.FLOAT))
    assert decoded[:6] == values[:6] and math.copysign(1, decoded[1]) == -1
    assert decoded[6] == 1.401298464324817e-45  # the smallest float32 denormal
    assert round_trip([0.1], t(K.FLOAT)) == [0.10000000149011612]
    assert math.isnan(round_trip([math.nan], t(K.FLOAT))[0])
    assert round_trip([3], t(K.FLOAT)) == [3.0]
    assert encoded([1.0], t(K.FLOAT)).floats[0] == 1.0


def test_floats_beyond_float32_are_refused():
    assert_error([1.0, 1e39], t(K.FLOAT), 1, "1e+39", "FLOAT")
    assert_error([-3.4028235677973366e38], t(K.FLOAT), 0, "-3.4028235677973366e+38")
    assert_error([True], t(K.FLOAT), 0, "True", "cannot hold a value of type bool")


def test_bytes_round_trip_from_bytes_bytearray_and_memoryview():
    assert round_trip([b"", b"\x00\xff", None, bytearray(b"ab"), memoryview(b"cd")], t(K.BYTES)) == [
        b"", b"\x00\xff", None, b"ab", b"cd"]
    assert_error([b"ok", "text"], t(K.BYTES), 1, "'text'", "BYTES cannot hold a value of type str")


# ---------------------------------------------------------------------------------------------
# Decimals


def test_unbounded_decimals_keep_every_digit_and_their_exponent():
    values = [Decimal("12.50"), Decimal("-1E+3"), Decimal("0E-7"), Decimal("1E-7"), None,
              Decimal("3.14159265358979323846264338327950288419716939937510582097494459"),
              Decimal("-0.000"), Decimal("1E+999999")]
    column = encoded(values, t(K.DECIMAL))
    assert list(column.strings) == ["12.50", "-1E+3", "0E-7", "1E-7", "0",
                                    str(values[5]), "-0.000", "1E+999999"]
    decoded = columns.decode(view_of(column), t(K.DECIMAL), len(values), "c")
    assert [str(d) for d in decoded if d is not None] == [str(v) for v in values if v is not None]
    assert decoded[4] is None


def test_decimals_accept_ints_and_floats_by_their_repr():
    assert round_trip([7, -2 ** 100, 0.1, 1e300], t(K.DECIMAL)) == [
        Decimal(7), Decimal(-2 ** 100), Decimal("0.1"), Decimal("1E+300")]


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), math.inf, math.nan])
def test_decimals_refuse_nan_and_infinity(bad):
    assert_error([Decimal(1), bad], t(K.DECIMAL), 1, repr(bad), "DECIMAL cannot hold")


def test_decimals_refuse_exponents_beyond_javas_int_scale():
    assert_error([Decimal("1E+2147483649")], t(K.DECIMAL), 0, "Decimal('1E+2147483649')", "exponent")
    assert round_trip([Decimal("1E-2147483647")], t(K.DECIMAL)) == [Decimal("1E-2147483647")]


def test_declared_decimals_round_half_up_to_their_scale():
    dec = t(K.DECIMAL, precision=5, scale=2)
    decoded = round_trip([Decimal("1.005"), Decimal("-1.005"), 3, 0.125, Decimal("999.994"), None], dec)
    assert [str(d) for d in decoded[:5]] == ["1.01", "-1.01", "3.00", "0.13", "999.99"]
    assert decoded[5] is None
    assert list(encoded([Decimal("0.1")], dec).strings) == ["0.10"]
    scale_zero = t(K.DECIMAL, precision=3, scale=0)
    assert [str(d) for d in round_trip([Decimal("1E+2"), Decimal("0.5")], scale_zero)] == ["100", "1"]


@pytest.mark.parametrize("bad", [Decimal("1000"), Decimal("999.995"), 1000, 1e10, Decimal("1E+999999999")])
def test_declared_decimals_refuse_values_that_need_more_digits(bad):
    assert_error([Decimal(0), bad], t(K.DECIMAL, precision=5, scale=2), 1, repr(bad),
                 "DECIMAL(5, 2) column cannot hold", "more than 5 digits with 2 after the point")


def test_decimals_refuse_other_types():
    assert_error([True], t(K.DECIMAL), 0, "True", "type bool")
    assert_error(["1.5"], t(K.DECIMAL, precision=3, scale=1), 0, "'1.5'", "type str")


# ---------------------------------------------------------------------------------------------
# Dates and times


def test_dates_travel_as_days_since_1970():
    values = [datetime.date(1970, 1, 1), datetime.date(1969, 12, 31), datetime.date(1, 1, 1),
              datetime.date(9999, 12, 31), None]
    column = encoded(values, t(K.DATE))
    assert list(column.longs) == [0, -1, -719162, 2932896, 0]
    assert columns.decode(view_of(column), t(K.DATE), 5, "c") == values


def test_dates_refuse_datetimes_and_strings():
    assert_error([datetime.datetime(2020, 1, 1)], t(K.DATE), 0, "datetime.datetime(2020, 1, 1, 0, 0)",
                 "value.date()")
    assert_error(["2020-01-01"], t(K.DATE), 0, "'2020-01-01'", "DATE cannot hold a value of type str")


def test_a_date_python_cannot_hold_fails_decoding_with_the_column_named():
    column = protos.Column()
    column.longs.append(3_000_000)
    with pytest.raises(ColumnError, match=r"input column 'd' \(DATE\) holds a value Python cannot represent"):
        columns.decode(view_of(column), t(K.DATE), 1, "d")


def test_times_travel_as_microseconds_of_the_day():
    values = [datetime.time(0), datetime.time(23, 59, 59, 999999), datetime.time(12, 30, 1, 5), None]
    column = encoded(values, t(K.TIME))
    assert list(column.longs) == [0, 86_399_999_999, 45_001_000_005, 0]
    assert columns.decode(view_of(column), t(K.TIME), 4, "c") == values


def test_times_refuse_a_timezone():
    aware = datetime.time(1, tzinfo=UTC)
    assert_error([aware], t(K.TIME), 0, repr(aware), "naive time")


def test_timestamps_travel_as_microseconds_since_1970():
    values = [datetime.datetime(1970, 1, 1), datetime.datetime(1969, 12, 31, 23, 59, 59, 999999),
              datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31, 23, 59, 59, 999999), None]
    column = encoded(values, t(K.TIMESTAMP))
    assert list(column.longs)[:2] == [0, -1]
    assert columns.decode(view_of(column), t(K.TIMESTAMP), 5, "c") == values


def test_timestamps_without_zone_refuse_aware_datetimes():
    aware = datetime.datetime(2020, 1, 1, tzinfo=UTC)
    assert_error([datetime.datetime(2020, 1, 1), aware], t(K.TIMESTAMP), 1, repr(aware), "naive datetime")


def test_instants_come_as_utc_and_accept_any_zone():
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    values = [datetime.datetime(2020, 1, 1, 2, tzinfo=plus_two), datetime.datetime(1970, 1, 1, tzinfo=UTC), None]
    column = encoded(values, t(K.TIMESTAMP_LTZ))
    assert list(column.longs) == [1577836800 * 10 ** 6, 0, 0]
    decoded = columns.decode(view_of(column), t(K.TIMESTAMP_LTZ), 3, "c")
    assert decoded == values
    assert decoded[0].tzinfo is UTC and decoded[0].hour == 0


def test_instants_refuse_naive_datetimes():
    assert_error([datetime.datetime(2020, 1, 1)], t(K.TIMESTAMP_LTZ), 0, "datetime.datetime(2020, 1, 1, 0, 0)",
                 "timezone-aware")


# ---------------------------------------------------------------------------------------------
# Arrays, maps, rows


def test_arrays_are_lengths_plus_one_child_column():
    data_type = array(t(K.BIGINT))
    column = encoded([[1, None], None, [], (3,)], data_type)
    assert list(column.lengths) == [2, 0, 0, 1]
    assert column.nulls == b"\x02"
    assert list(column.children[0].longs) == [1, 0, 3] and column.children[0].nulls == b"\x02"
    assert columns.decode(view_of(column), data_type, 4, "c") == [[1, None], None, [], [3]]


def test_nested_arrays_round_trip():
    data_type = array(array(t(K.STRING)))
    values = [[["a", "😀"], [], None, [None]], None, []]
    assert round_trip(values, data_type) == values


def test_wrong_elements_are_named_with_their_position():
    assert_error([[1], [1, 2, "three"]], array(t(K.BIGINT)), 1, "[1, 2, 'three']",
                 "ARRAY<BIGINT> column cannot hold", "element 2 ('three'): BIGINT cannot hold a value of type str")
    assert_error([[[1 << 64]]], array(array(t(K.BIGINT))), 0, f"[[{1 << 64}]]",
                 f"element 0 ([{1 << 64}]): element 0 ({1 << 64}): out of range for BIGINT")
    assert_error(["abc"], array(t(K.STRING)), 0, "'abc'", "ARRAY<STRING> cannot hold a value of type str")


def test_elements_marked_not_null_refuse_none():
    data_type = array(t(K.DOUBLE, not_null=True))
    assert round_trip([[1.0, 2.0]], data_type) == [[1.0, 2.0]]
    assert_error([[1.0, None]], data_type, 0, "[1.0, None]", "element 1 is None", "cannot be null")


def test_maps_are_lengths_plus_keys_and_values():
    data_type = map_of(t(K.STRING), t(K.DOUBLE))
    column = encoded([{"a": 1.0, "b": None}, None, {}], data_type)
    assert list(column.lengths) == [2, 0, 0]
    assert list(column.children[0].strings) == ["a", "b"]
    assert list(column.children[1].doubles) == [1.0, 0.0] and column.children[1].nulls == b"\x02"
    assert columns.decode(view_of(column), data_type, 3, "c") == [{"a": 1.0, "b": None}, None, {}]


def test_maps_accept_any_mapping_and_name_bad_keys_and_values():
    data_type = map_of(t(K.INT), array(t(K.STRING)))
    assert round_trip([types.MappingProxyType({1: ["x"]}), collections.OrderedDict([(2, None)])], data_type) == [
        {1: ["x"]}, {2: None}]
    assert_error([{1: ["x"], "k": []}], data_type, 0, "{1: ['x'], 'k': []}", "key 'k': INT cannot hold")
    assert_error([{1: ["x", 5]}], data_type, 0, "{1: ['x', 5]}",
                 "value for key 1 (['x', 5]): element 1 (5): STRING cannot hold a value of type int")
    assert_error([[("a", 1)]], data_type, 0, "[('a', 1)]", "cannot hold a value of type list")


def test_map_keys_may_be_null_unless_marked_not_null():
    assert round_trip([{None: 1}], map_of(t(K.STRING), t(K.INT))) == [{None: 1}]
    assert_error([{None: 1}], map_of(t(K.STRING, not_null=True), t(K.INT)), 0, "{None: 1}", "a key is None")


def test_maps_with_keys_python_cannot_hash_are_refused_at_register_time():
    with pytest.raises(ColumnError, match="dict keys must be hashable"):
        columns.codec(map_of(array(t(K.INT)), t(K.INT)))
    with pytest.raises(ColumnError, match="dict keys must be hashable"):
        columns.codec(map_of(row(a=map_of(t(K.INT), t(K.INT))), t(K.INT)))
    columns.codec(map_of(row(a=t(K.INT), b=t(K.STRING)), t(K.INT)))  # rows of scalars hash fine


def test_rows_are_named_tuples_over_one_child_column_per_field():
    data_type = row(name=t(K.STRING), score=t(K.DOUBLE))
    column = encoded([("a", 1.5), None, ["b", None]], data_type)
    assert column.nulls == b"\x02"
    assert list(column.children[0].strings) == ["a", "", "b"] and column.children[0].nulls == b"\x02"
    assert column.children[1].nulls == b"\x06"
    decoded = columns.decode(view_of(column), data_type, 3, "c")
    assert decoded == [("a", 1.5), None, ("b", None)]
    assert decoded[0].name == "a" and decoded[0].score == 1.5
    assert type(decoded[0]).__name__ == "Row" and type(decoded[0])._fields == ("name", "score")


def test_row_field_names_that_are_not_identifiers_are_renamed_by_position():
    data_type = row(**{"class": t(K.INT), "with space": t(K.INT), "ok": t(K.INT), "_x": t(K.INT)})
    decoded = round_trip([(1, 2, 3, 4)], data_type)
    assert decoded == [(1, 2, 3, 4)] and type(decoded[0])._fields == ("_0", "_1", "ok", "_3")


def test_rows_refuse_the_wrong_arity_and_name_the_bad_field():
    data_type = row(a=t(K.INT), b=row(c=t(K.DATE)))
    assert_error([(1, (datetime.date(2020, 1, 1),)), (1,)], data_type, 1, "(1,)", "it has 1 fields where the row type has 2")
    assert_error([(1, ("2020-01-01",))], data_type, 0, "(1, ('2020-01-01',))",
                 "field 'b' (('2020-01-01',)): field 'c' ('2020-01-01'): DATE cannot hold a value of type str")
    assert_error([{"a": 1, "b": None}], data_type, 0, "{'a': 1, 'b': None}", "cannot hold a value of type dict")


def test_a_row_decoded_from_an_input_can_be_returned_as_it_is():
    data_type = row(a=t(K.INT), b=array(row(c=t(K.STRING))))
    values = [(1, [("x",), None]), None]
    decoded = round_trip(values, data_type)
    assert round_trip(decoded, data_type) == values


def test_empty_batches_of_nested_types():
    data_type = row(a=array(map_of(t(K.STRING), row(b=t(K.INT)))))
    column = encoded([], data_type)
    assert len(column.children) == 1
    assert columns.decode(view_of(column), data_type, 0, "c") == []
    assert columns.decode(protos.ColumnView(), data_type, 0, "c") == []


def test_decoding_checks_lengths_and_children():
    column = protos.Column()
    column.lengths.extend([1, 1])
    with pytest.raises(ColumnError, match=r"input column 'c' \(ARRAY<BIGINT>\) has 2 lengths but 3 rows"):
        columns.decode(view_of(column), array(t(K.BIGINT)), 3, "c")
    with pytest.raises(ColumnError, match="lacks child column 0"):
        columns.decode(view_of(column), array(t(K.BIGINT)), 2, "c")
    column.children.add().longs.append(1)
    with pytest.raises(ColumnError, match="input column 'c' elements"):
        columns.decode(view_of(column), array(t(K.BIGINT)), 2, "c")


def test_unsupported_types_are_refused_with_their_name():
    with pytest.raises(ColumnError, match="unsupported type 99"):
        columns.codec(t(99))
    with pytest.raises(ColumnError, match=r"DECIMAL\(2, 3\) has a scale outside"):
        columns.codec(t(K.DECIMAL, precision=2, scale=3))


def test_type_names():
    assert columns.type_name(map_of(t(K.STRING), array(row(a=t(K.DECIMAL, precision=4, scale=1))))) == (
        "MAP<STRING, ARRAY<ROW<a DECIMAL(4, 1)>>>")


# ---------------------------------------------------------------------------------------------
# Property: random types and values round trip


_SCALAR_KINDS = [K.BIGINT, K.INT, K.SMALLINT, K.TINYINT, K.DOUBLE, K.FLOAT, K.BOOLEAN, K.STRING,
                 K.BYTES, K.DECIMAL, K.DATE, K.TIME, K.TIMESTAMP, K.TIMESTAMP_LTZ]
_KEY_KINDS = [K.BIGINT, K.INT, K.STRING, K.BOOLEAN, K.DATE, K.TIMESTAMP, K.TIMESTAMP_LTZ, K.BYTES]
_CODE_POINTS = [(0x20, 0x7e), (0, 0x1f), (0xa0, 0x7ff), (0x800, 0xd7ff), (0xe000, 0xfffd), (0x10000, 0x10ffff)]


def random_type(rng, depth):
    pick = rng.randrange(9 if depth else 5)
    if pick < 5:
        kind = rng.choice(_SCALAR_KINDS)
        if kind == K.DECIMAL and rng.random() < 0.5:
            precision = rng.randint(1, 38)
            return t(kind, precision=precision, scale=rng.randint(0, precision))
        return t(kind)
    if pick in (5, 6):
        return array(random_type(rng, depth - 1))
    if pick == 7:
        return map_of(t(rng.choice(_KEY_KINDS)), random_type(rng, depth - 1))
    return row(**{f"f{i}": random_type(rng, depth - 1) for i in range(rng.randint(1, 3))})


def random_value(rng, data_type, null_chance=0.15):
    if rng.random() < null_chance:
        return None
    kind = data_type.kind
    if kind in columns.INT_RANGE:
        low, high = columns.INT_RANGE[kind]
        return rng.choice([low, high, 0, -1, rng.randint(low, high)])
    if kind == K.DOUBLE:
        return rng.choice([math.inf, -math.inf, -0.0, 5e-324, 1.7976931348623157e308, rng.uniform(-1e6, 1e6)])
    if kind == K.FLOAT:
        return rng.choice([math.inf, -0.0, 1.5, 3.4028234663852886e38, 1.401298464324817e-45])
    if kind == K.BOOLEAN:
        return rng.random() < 0.5
    if kind == K.STRING:
        return "".join(chr(rng.randint(*rng.choice(_CODE_POINTS))) for _ in range(rng.choice([0, 1, 5, 12])))
    if kind == K.BYTES:
        return bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 7])))
    if kind == K.DECIMAL:
        if data_type.precision:
            digits = rng.randint(1, data_type.precision)
            return Decimal(rng.randrange(10 ** digits) * rng.choice([1, -1])).scaleb(-data_type.scale)
        return Decimal(rng.randrange(-10 ** 40, 10 ** 40)).scaleb(rng.randint(-30, 20))
    if kind == K.DATE:
        return datetime.date.fromordinal(rng.randint(1, datetime.date.max.toordinal()))
    if kind == K.TIME:
        return (datetime.datetime.min + datetime.timedelta(microseconds=rng.randrange(86400 * 10 ** 6))).time()
    if kind in (K.TIMESTAMP, K.TIMESTAMP_LTZ):
        value = datetime.datetime.min + datetime.timedelta(
            microseconds=rng.randrange((datetime.datetime.max - datetime.datetime.min) // datetime.timedelta(microseconds=1)))
        return value.replace(tzinfo=UTC) if kind == K.TIMESTAMP_LTZ else value
    length = rng.choice([0, 1, 2, 5])
    if kind == K.ARRAY:
        return [random_value(rng, data_type.element_type) for _ in range(length)]
    if kind == K.MAP:
        return {random_value(rng, data_type.key_type, 0): random_value(rng, data_type.value_type) for _ in range(length)}
    return tuple(random_value(rng, f.type) for f in data_type.fields)


def test_random_types_and_values_round_trip():
    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    for _ in range(300):
        data_type = random_type(rng, rng.randint(0, 3))
        values = [random_value(rng, data_type) for _ in range(rng.randint(0, 40))]
        assert round_trip(values, data_type) == values, f"seed {seed}, type {columns.type_name(data_type)}"
