"""The bundle processor without gRPC: batches in, batches out."""
import pytest

from conftest import UDF_DIR, contract_of, view_of
from fnharness_worker import columns, protos
from fnharness_worker import processors
from fnharness_worker.errors import BundleError, RegisterError
from fnharness_worker.scalar import ScalarFunctionProcessor

BIGINT, STRING = columns.BIGINT, columns.STRING


@pytest.fixture(autouse=True)
def udf_dir_on_path(monkeypatch):
    monkeypatch.syspath_prepend(UDF_DIR)


def processor(inputs, functions):
    payload = protos.ScalarFunctionPayload()
    for name, kind in inputs:
        payload.input_columns.add(name=name).type.kind = kind
    for qualname, args, kind in functions:
        f = payload.functions.add(module="sample_udfs", qualname=qualname, arg_columns=args, result_name=qualname + "_out")
        f.result_type.kind = kind
    return ScalarFunctionProcessor(payload, processors.Registration())


def longs_batch(*cols):
    b = protos.RowBatch(row_count=len(cols[0]))
    for values in cols:
        b.columns.add().longs.extend(values)
    return view_of(b)


def test_functions_get_their_argument_columns_and_fill_one_column_each():
    p = processor([("a", BIGINT), ("b", BIGINT)], [("add", [1, 0], BIGINT), ("constant", [], BIGINT)])
    out = contract_of(p.process_batch(longs_batch([1, 2, 3], [10, 20, 30])))
    assert out.row_count == 3
    assert [list(c.longs) for c in out.columns] == [[11, 22, 33], [7, 7, 7]]


def test_process_sends_one_output_per_input():
    p = processor([("a", BIGINT)], [("Holder.twice", [0], BIGINT)])
    sent = []
    p.process(processors.BundleContext(
        "b", iter([longs_batch([1]).SerializeToString(), longs_batch([]).SerializeToString()]), sent.append))
    outs = [protos.RowBatch.FromString(s) for s in sent]
    assert [(o.row_count, list(o.columns[0].longs)) for o in outs] == [(1, [2]), (0, [])]


def test_exception_names_function_row_and_args():
    p = processor([("a", BIGINT), ("b", BIGINT)], [("add", [0, 1], BIGINT)])
    b = protos.RowBatch(row_count=2)
    b.columns.add().longs.extend([1, 2])
    b.columns.add().strings.extend(["x", "y"])  # wrong slot: strings for a BIGINT column
    with pytest.raises(BundleError, match=r"input column 'b' \(BIGINT\) has 0 values"):
        p.process_batch(view_of(b))
    p = processor([("a", BIGINT), ("s", STRING)], [("add", [0, 1], BIGINT)])
    b = protos.RowBatch(row_count=2)
    b.columns.add().longs.extend([1, 2])
    b.columns.add().strings.extend(["x", "y"])
    with pytest.raises(BundleError) as info:
        p.process_batch(view_of(b))
    message = str(info.value)
    assert message.startswith("Python function 'sample_udfs:add' failed on row 0 of the batch (args: 1, 'x'):\n"
                              "Traceback (most recent call last):\n")
    assert message.rstrip().endswith("TypeError: unsupported operand type(s) for +: 'int' and 'str'")


def test_long_argument_reprs_are_shortened():
    p = processor([("s", STRING)], [("fail_on_three", [0], STRING), ("add", [0, 0], STRING)])
    b = protos.RowBatch(row_count=1)
    b.columns.add().strings.append("y" * 5000)
    out = contract_of(p.process_batch(view_of(b)))
    assert list(out.columns[0].strings) == ["y" * 5000]
    p = processor([("s", STRING)], [("add", [0], STRING)])  # add() needs two arguments
    with pytest.raises(BundleError) as info:
        p.process_batch(view_of(b))
    assert str(info.value).startswith(
        "Python function 'sample_udfs:add' failed on row 0 of the batch (args: '" + "y" * 999 + "... (5002 characters)):\n")
    p = processor([("s", STRING)], [("Holder.twice", [0], BIGINT)])
    with pytest.raises(BundleError) as info:
        p.process_batch(view_of(b))
    assert "returned '" + "y" * 999 + "... (10002 characters) on row 0" in str(info.value)


def test_bad_descriptors_fail_at_register():
    with pytest.raises(RegisterError, match=r"'sample_udfs:add': argument 2 reads input column 2, out of range for 1"):
        processor([("a", BIGINT)], [("add", [0, 2], BIGINT)])
    descriptor = protos.ProcessBundleDescriptor(id="d")
    descriptor.transforms[protos.TRANSFORM_ID].spec.urn = "beam:transform:other:v1"
    with pytest.raises(RegisterError, match="unsupported transform urn 'beam:transform:other:v1'"):
        processors.from_descriptor(descriptor, processors.Registration())
