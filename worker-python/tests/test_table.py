"""The table-function processor without gRPC: batches in, batches out."""
import pytest

from conftest import UDF_DIR, contract_of, view_of
from fnharness_worker import columns, processors, protos, table
from fnharness_worker.errors import BundleError, RegisterError
from fnharness_worker.table import TableFunctionProcessor

BIGINT, INT, STRING = columns.BIGINT, columns.INT, columns.STRING


@pytest.fixture(autouse=True)
def udf_dir_on_path(monkeypatch):
    monkeypatch.syspath_prepend(UDF_DIR)


def processor(inputs, qualname, args, results):
    """args: input column indices or Expressions; results: [(name, kind)]"""
    payload = protos.TableFunctionPayload()
    for name, kind in inputs:
        payload.input_columns.add(name=name).type.kind = kind
    payload.function.module = "sample_udfs"
    payload.function.qualname = qualname
    for arg in args:
        payload.function.args.append(protos.Expression(column=arg) if isinstance(arg, int) else arg)
    for name, kind in results:
        payload.result_columns.add(name=name).type.kind = kind
    return TableFunctionProcessor(payload, processors.Registration())


def batch(*cols):
    b = protos.RowBatch(row_count=len(cols[0][1]))
    for field, values in cols:
        getattr(b.columns.add(), field).extend(values)
    return view_of(b)


def rows(outs):
    """(input row, values...) of every output row of the output batches."""
    result = []
    for out in map(contract_of, outs):
        assert all(len(c.longs) + len(c.strings) == out.row_count for c in out.columns)
        cols = [list(c.longs) or list(c.strings) if out.row_count else [] for c in out.columns]
        result.extend(zip(*cols))
    return result


def test_zero_one_and_many_rows_per_input_row_keep_their_order():
    p = processor([("line", STRING)], "words", [0], [("word", STRING)])
    outs = p.process_batch(batch(("strings", ["a b c", "", "d", "  ", "e f"])), offset=100)
    assert rows(outs) == [(100, "a"), (100, "b"), (100, "c"), (102, "d"), (104, "e"), (104, "f")]


def test_tuples_fill_several_columns_and_none_means_no_rows():
    p = processor([("x", BIGINT)], "none_or_pair", [0], [("n", BIGINT), ("s", STRING)])
    outs = p.process_batch(batch(("longs", [1, 2, 3, 4])))
    assert rows(outs) == [(1, 2, "2"), (1, 3, "3"), (3, 4, "4"), (3, 5, "5")]
    p = processor([("line", STRING)], "words_with_length", [0], [("w", STRING), ("n", INT)])
    assert rows(p.process_batch(batch(("strings", ["hi you"])))) == [(0, "hi", 2), (0, "you", 3)]


def test_no_output_rows_means_no_output_batch():
    p = processor([("x", BIGINT)], "count_up", [0], [("i", BIGINT)])
    assert p.process_batch(batch(("longs", [0, 0]))) == []


def test_large_outputs_are_cut_into_batches_with_bundle_positions():
    p = processor([("x", BIGINT)], "ten_thousand", [0], [("v", BIGINT)])
    sent = []
    inputs = [batch(("longs", [0])).SerializeToString(), batch(("longs", [1, 2])).SerializeToString()]
    p.process(processors.BundleContext("b", iter(inputs), sent.append))
    outs = [protos.RowBatchView.FromString(s) for s in sent]
    assert [o.row_count for o in outs] == [4096, 4096, 1808, 4096, 4096, 4096, 4096, 3616]
    got = rows(outs)
    assert [r[1] for r in got] == list(range(30_000))
    assert [r[0] for r in got] == [0] * 10_000 + [1] * 10_000 + [2] * 10_000


def test_nested_call_arguments_and_literals():
    arg = protos.Expression()
    arg.call.module, arg.call.qualname = "sample_udfs", "Holder.twice"
    arg.call.args.append(protos.Expression(column=0))
    times = protos.Expression()
    times.literal.long_value = 2
    p = processor([("x", BIGINT)], "repeat", [arg, times], [("y", BIGINT)])
    assert rows(p.process_batch(batch(("longs", [1, 5])))) == [(0, 2), (0, 2), (1, 10), (1, 10)]


def test_an_exception_while_yielding_names_the_function_row_and_args():
    p = processor([("x", BIGINT)], "explode_on_three", [0], [("y", BIGINT)])
    with pytest.raises(BundleError) as info:
        p.process_batch(batch(("longs", [1, 2, 3, 4])), offset=50)
    message = str(info.value)
    assert message.startswith("Python table function 'sample_udfs:explode_on_three' failed on row 2 of the batch "
                              "(args: 3):\nTraceback (most recent call last):\n")
    assert "sample_udfs.py" in message
    assert message.rstrip().endswith("RuntimeError: exploded while yielding")


def test_returning_something_that_is_not_rows_is_a_clear_error():
    p = processor([("x", BIGINT)], "returns_int", [0], [("y", BIGINT)])
    with pytest.raises(BundleError) as info:
        p.process_batch(batch(("longs", [7])))
    assert str(info.value) == (
        "Python table function 'sample_udfs:returns_int' returned 7 (a int) for row 0 of the batch (args: 7): "
        "a table function must yield its rows, or return an iterable of rows or None")
    p = processor([("x", BIGINT)], "returns_str", [0], [("y", STRING)])
    with pytest.raises(BundleError, match=r"returned 'abc' \(a str\) for row 0"):
        p.process_batch(batch(("longs", [7])))


def test_a_row_of_the_wrong_arity_names_the_input_row_and_the_columns():
    p = processor([("x", BIGINT)], "yields_scalar_for_pair", [0], [("n", BIGINT), ("s", STRING)])
    with pytest.raises(BundleError) as info:
        p.process_batch(batch(("longs", [4, 9])))
    assert str(info.value) == (
        "Python table function 'sample_udfs:yields_scalar_for_pair' yielded 4 for row 0 of the batch (args: 4), "
        "but its result has 2 columns (n, s): yield a tuple of 2 values")
    p = processor([("line", STRING)], "words_with_length", [0], [("w", STRING), ("n", INT), ("extra", STRING)])
    with pytest.raises(BundleError, match=r"yielded \('b', 1\) for row 1 of the batch \(args: 'b'\), but its result has 3"):
        p.process_batch(batch(("strings", ["", "b"])))


def test_a_value_of_the_wrong_type_names_the_column_and_the_input_row():
    p = processor([("x", BIGINT)], "yields_str_for_bigint", [0], [("n", BIGINT)])
    with pytest.raises(BundleError) as info:
        p.process_batch(batch(("longs", [5, 6])))
    assert str(info.value).startswith(
        "Python table function 'sample_udfs:yields_str_for_bigint' (output column 'n') yielded 'two' for row 0 "
        "of the batch (args: 5), which the BIGINT column cannot hold:")


def test_descriptors_pick_the_processor_by_urn_and_bad_payloads_fail_at_register():
    payload = protos.TableFunctionPayload()
    payload.input_columns.add(name="x").type.kind = BIGINT
    payload.function.module, payload.function.qualname = "sample_udfs", "count_up"
    payload.function.args.append(protos.Expression(column=0))
    descriptor = protos.ProcessBundleDescriptor(id="d")
    descriptor.transforms[protos.TRANSFORM_ID].spec.urn = protos.TABLE_FUNCTION_URN
    descriptor.transforms[protos.TRANSFORM_ID].spec.payload = payload.SerializeToString()
    with pytest.raises(RegisterError, match="'sample_udfs:count_up' has no result columns"):
        processors.from_descriptor(descriptor, processors.Registration())
    payload.result_columns.add(name="i").type.kind = BIGINT
    descriptor.transforms[protos.TRANSFORM_ID].spec.payload = payload.SerializeToString()
    assert isinstance(processors.from_descriptor(descriptor, processors.Registration()), table.TableFunctionProcessor)
