"""Nested calls, literals and several functions per batch, compiled at register time."""
import pytest

from conftest import UDF_DIR, contract_of, view_of
from fnharness_worker import columns, processors, protos
from fnharness_worker.functions import FunctionLoadError
from fnharness_worker.errors import BundleError, RegisterError
from fnharness_worker.scalar import ScalarFunctionProcessor

BIGINT, STRING = columns.BIGINT, columns.STRING


@pytest.fixture(autouse=True)
def udf_dir_on_path(monkeypatch):
    monkeypatch.syspath_prepend(UDF_DIR)


def col(i):
    return protos.Expression(column=i)


def lit(**value):
    e = protos.Expression()
    e.literal.SetInParent()
    for k, v in value.items():
        setattr(e.literal, k, v)
    return e


def call(qualname, *args):
    e = protos.Expression()
    e.call.module = "sample_udfs"
    e.call.qualname = qualname
    e.call.args.extend(args)
    return e


def processor(inputs, functions):
    """functions: [(qualname, [Expression], result kind)]"""
    payload = protos.ScalarFunctionPayload()
    for name, kind in inputs:
        payload.input_columns.add(name=name).type.kind = kind
    for qualname, args, kind in functions:
        f = payload.functions.add(module="sample_udfs", qualname=qualname, result_name=qualname + "_out")
        f.args.extend(args)
        f.result_type.kind = kind
    return ScalarFunctionProcessor(payload, processors.Registration())


def batch(*cols):
    """cols: (field, values)"""
    b = protos.RowBatch(row_count=len(cols[0][1]))
    for field, values in cols:
        getattr(b.columns.add(), field).extend(values)
    return view_of(b)


def test_nested_calls_run_inner_calls_first_over_whole_columns():
    # add(add(a, b), Holder.twice(a)) and join(upper(s), a, title(s))
    p = processor([("a", BIGINT), ("b", BIGINT), ("s", STRING)], [
        ("add", [call("add", col(0), col(1)), call("Holder.twice", col(0))], BIGINT),
        ("join", [call("upper", col(2)), col(0), call("title", col(2))], STRING),
    ])
    out = contract_of(p.process_batch(batch(("longs", [1, 2, 3]), ("longs", [10, 20, 30]), ("strings", ["ab cd", "x", ""]))))
    assert list(out.columns[0].longs) == [13, 26, 39]
    assert list(out.columns[1].strings) == ["AB CD-1-Ab Cd", "X-2-X", "-3-"]


def test_literals_of_every_kind_and_none():
    p = processor([("a", BIGINT)], [
        ("join", [col(0), lit(long_value=-5), lit(double_value=1.5), lit(bool_value=True),
                  lit(string_value="é😀"), lit()], STRING),
        ("add", [lit(long_value=40), lit(long_value=2)], BIGINT),  # no column at all
    ])
    out = contract_of(p.process_batch(batch(("longs", [7, 8]))))
    assert list(out.columns[0].strings) == ["7--5-1.5-True-é😀-None", "8--5-1.5-True-é😀-None"]
    assert list(out.columns[1].longs) == [42, 42]


def test_a_failing_inner_call_names_itself_its_place_and_its_row():
    p = processor([("a", BIGINT)], [("add", [col(0), call("fail_on_two", col(0))], BIGINT)])
    with pytest.raises(BundleError) as info:
        p.process_batch(batch(("longs", [1, 5, 2, 2])))
    message = str(info.value)
    assert message.startswith(
        "Python function 'sample_udfs:fail_on_two' (argument 2 of 'sample_udfs:add') failed on row 2 "
        "of the batch (args: 2):\nTraceback (most recent call last):\n")
    assert message.rstrip().endswith("ValueError: two is not allowed")


def test_a_failing_outer_call_shows_the_inner_results_as_its_args():
    p = processor([("s", STRING)], [("fail_on_two", [call("add", col(0), lit(string_value="!"))], BIGINT)])
    with pytest.raises(BundleError) as info:
        p.process_batch(batch(("strings", ["a", "b"])))
    assert "'sample_udfs:add'" not in str(info.value).splitlines()[0]
    p = processor([("a", BIGINT)], [("fail_on_two", [call("Holder.twice", col(0))], BIGINT)])
    with pytest.raises(BundleError, match=r"^Python function 'sample_udfs:fail_on_two' failed on row 1 of the "
                                          r"batch \(args: 2\):\n"):
        p.process_batch(batch(("longs", [0, 1, 2])))


def test_every_function_of_the_tree_is_loaded_at_register():
    with pytest.raises(FunctionLoadError, match="Cannot load Python function 'sample_udfs:nope'"):
        processor([("a", BIGINT)], [("add", [col(0), call("nope", col(0))], BIGINT)])
    with pytest.raises(RegisterError, match=r"'sample_udfs:upper': argument 1 reads input column 3, out of range"):
        processor([("a", BIGINT)], [("add", [col(0), call("upper", col(3))], BIGINT)])
    with pytest.raises(RegisterError, match=r"'sample_udfs:add': argument 2 is empty"):
        processor([("a", BIGINT)], [("add", [col(0), protos.Expression()], BIGINT)])


def test_plain_arg_columns_still_work():
    payload = protos.ScalarFunctionPayload()
    payload.input_columns.add(name="a").type.kind = BIGINT
    f = payload.functions.add(module="sample_udfs", qualname="add", arg_columns=[0, 0], result_name="y")
    f.result_type.kind = BIGINT
    out = contract_of(ScalarFunctionProcessor(payload, processors.Registration()).process_batch(batch(("longs", [4]))))
    assert list(out.columns[0].longs) == [8]
