import math
import random
from fractions import Fraction

import pytest

from conftest import contract_of, view_of
from fnharness_worker import columns, protos
from fnharness_worker.columns import BIGINT, BOOLEAN, DOUBLE, INT, STRING, ColumnError

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1


def round_trip(values, kind):
    column = protos.ColumnView()
    columns.encode(list(values), kind, column, "Python function 'm:f' (output column 'c')")
    wire = contract_of(column)  # as the runner reads it
    return columns.decode(view_of(wire), kind, len(values), "c"), wire


@pytest.mark.parametrize("kind, values", [
    (BIGINT, [0, 1, -1, INT64_MIN, INT64_MAX, 12345678901234]),
    (INT, [0, INT32_MIN, INT32_MAX, -7]),
    (DOUBLE, [0.0, -0.0, 1.5, math.inf, -math.inf, 5e-324, 1.7976931348623157e308]),
    (BOOLEAN, [True, False, True]),
    (STRING, ["", "ascii", "äöü", "日本語", "😀 beyond the BMP 𝄞", "a\x00b", "line\nbreak"]),
])
def test_round_trip_without_nulls(kind, values):
    decoded, wire = round_trip(values, kind)
    assert decoded == values
    assert wire.nulls == b""
    if kind == DOUBLE:
        assert math.copysign(1, decoded[1]) == -1  # -0.0 survives


def test_nan_round_trips():
    decoded, _ = round_trip([math.nan, 1.0], DOUBLE)
    assert math.isnan(decoded[0]) and decoded[1] == 1.0


@pytest.mark.parametrize("kind, slot", [(BIGINT, 0), (INT, 0), (DOUBLE, 0.0), (BOOLEAN, False), (STRING, "")])
def test_nulls_hold_the_default_slot_and_set_their_bit(kind, slot):
    sample = {BIGINT: 5, INT: 5, DOUBLE: 2.5, BOOLEAN: True, STRING: "s"}[kind]
    values = [None, sample, None] + [sample] * 6 + [None]  # rows 0, 2 and 9 are null
    decoded, wire = round_trip(values, kind)
    assert decoded == values
    assert wire.nulls == bytes([0b101, 0b10])
    assert list(getattr(wire, columns.SLOT_FIELD[kind])) == [v if v is not None else slot for v in values]


def test_all_null_column():
    decoded, wire = round_trip([None] * 17, BIGINT)
    assert decoded == [None] * 17
    assert wire.nulls == b"\xff\xff\x01"


def test_empty_column():
    decoded, wire = round_trip([], STRING)
    assert decoded == [] and wire.nulls == b"" and list(wire.strings) == []


def test_random_null_patterns_round_trip():
    rng = random.Random(7)
    for n in (1, 7, 8, 9, 63, 64, 65, 1000):
        values = [None if rng.random() < 0.3 else rng.randint(INT64_MIN, INT64_MAX) for _ in range(n)]
        assert round_trip(values, BIGINT)[0] == values


def test_decode_reads_bitmaps_shorter_than_the_rows_and_ignores_padding_bits():
    column = protos.Column(nulls=b"\x01")  # trailing zero bytes left out: rows 8.. are not null
    column.longs.extend(range(20))
    assert columns.decode(view_of(column), BIGINT, 20) == [None] + list(range(1, 20))
    column = protos.Column(nulls=b"\xfe")  # bits beyond row_count 1 are set
    column.longs.append(4)
    assert columns.decode(view_of(column), BIGINT, 1) == [4]


def test_decode_rejects_a_column_of_the_wrong_length():
    column = protos.Column()
    column.longs.extend([1, 2])
    with pytest.raises(ColumnError, match=r"input column 'x' \(BIGINT\) has 2 values in 'longs' but 3 were expected"):
        columns.decode(view_of(column), BIGINT, 3, "x")


def test_the_views_mirror_row_batch_and_column_with_packed_runs_as_bytes():
    for contract, view in ((protos.RowBatch, protos.RowBatchView), (protos.Column, protos.ColumnView)):
        fields = {f.name: f for f in contract.DESCRIPTOR.fields}
        assert {f.name: f.number for f in view.DESCRIPTOR.fields} == {n: f.number for n, f in fields.items()}
    bytes_type = protos.ColumnView.DESCRIPTOR.fields_by_name["nulls"].type
    for name in columns.FIXED_WIDTH:
        assert fields[name].type != bytes_type
        assert protos.ColumnView.DESCRIPTOR.fields_by_name[name].type == bytes_type
    column = protos.Column(nulls=b"\x02", strings=["a"], binaries=[b"b"], lengths=[3])
    column.longs.extend([-1, 1 << 62])
    column.doubles.extend([0.5, -2.0])
    column.bools.extend([True, False])
    column.floats.extend([1.5])
    column.children.add().longs.append(7)
    view = view_of(column)
    assert view.longs == (-1).to_bytes(8, "little", signed=True) + (1 << 62).to_bytes(8, "little")
    assert contract_of(view) == column
    assert columns.decode(view, BOOLEAN, 2) == [True, None]


def test_packed_runs_the_view_cannot_read_are_refused_not_misread():
    one_run = protos.Column()
    one_run.longs.extend([1, 2])
    two_runs = protos.ColumnView.FromString(one_run.SerializeToString() * 2)  # legal protobuf
    with pytest.raises(ColumnError, match=r"has 2 values in 'longs' but 4 were expected"):
        columns.decode(two_runs, BIGINT, 4, "x")
    unpacked = protos.ColumnView.FromString(b"\x11" + bytes(8) + b"\x11" + bytes(8))  # tag 2, fixed64
    with pytest.raises(ColumnError, match=r"has 0 values in 'longs' but 2 were expected"):
        columns.decode(unpacked, BIGINT, 2, "x")
    with pytest.raises(ColumnError, match=r"has 12 bytes in 'longs', not a whole number of values"):
        columns.decode(protos.ColumnView(longs=bytes(12)), BIGINT, 1, "x")


def test_null_bitmap_helpers():
    assert columns.null_bitmap(b"") == b""
    assert columns.null_bitmap(bytes(20)) == b""
    assert columns.null_bitmap(bytes([0, 0, 0, 0, 0, 0, 0, 0, 1])) == b"\x00\x01"
    assert list(columns.null_rows(b"\x00\x01", 9)) == [8]
    assert list(columns.null_rows(b"", 9)) == []


def encode_error(values, kind):
    with pytest.raises(ColumnError) as info:
        columns.encode(list(values), kind, protos.ColumnView(), "Python function 'mod:fn' (output column 'out')")
    return str(info.value)


@pytest.mark.parametrize("kind, values, row, bad", [
    (BIGINT, [1, None, "3"], 2, "'3'"),
    (BIGINT, [1, 2.0], 1, "2.0"),
    (BIGINT, [True], 0, "True"),
    (BIGINT, [1, INT64_MAX + 1], 1, str(INT64_MAX + 1)),
    (BIGINT, [INT64_MIN - 1], 0, str(INT64_MIN - 1)),
    (INT, [0, INT32_MAX + 1], 1, str(INT32_MAX + 1)),
    (INT, [INT32_MIN - 1, 0], 0, str(INT32_MIN - 1)),
    (DOUBLE, [1.0, "x"], 1, "'x'"),
    (DOUBLE, [1.0, 10 ** 400], 1, "1" + "0" * 400),
    (DOUBLE, [False], 0, "False"),
    (BOOLEAN, [True, "yes"], 1, "'yes'"),
    (BOOLEAN, [True, 1], 1, "1"),
    (STRING, ["a", b"bytes"], 1, "b'bytes'"),
    (STRING, ["a", 5], 1, "5"),
    (STRING, ["ok", "\ud800"], 1, "'\\ud800'"),
])
def test_type_errors_name_function_column_row_and_value(kind, values, row, bad):
    message = encode_error(values, kind)
    assert message.startswith(f"Python function 'mod:fn' (output column 'out') returned {bad} on row {row} of the batch")
    assert columns.kind_name(kind) in message


def test_accepted_numeric_types():
    assert round_trip([1, Fraction(1, 2)], DOUBLE)[0] == [1.0, 0.5]
    assert round_trip([INT64_MAX, None], BIGINT)[0] == [INT64_MAX, None]
