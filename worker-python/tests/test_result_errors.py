"""A result its column cannot hold names the input row that gave it: its columns' values (a
scalar function's), its key and row (a keyed function's), in one short line."""
import pytest

from conftest import UDF_DIR, keyed_batch, keyed_descriptor
from fnharness_worker import columns, descriptors, processors, protos
from fnharness_worker.errors import BundleError
from test_state import InMemoryStateService

BIGINT, STRING = columns.BIGINT, columns.STRING


@pytest.fixture(autouse=True)
def udf_dir_on_path(monkeypatch):
    monkeypatch.syspath_prepend(UDF_DIR)


def col(i):
    return protos.Expression(column=i)


def call(qualname, *args):
    e = protos.Expression()
    e.call.module, e.call.qualname = "sample_udfs", qualname
    e.call.args.extend(args)
    return e


def bundle_error(inputs, functions, *batches):
    """The BundleError of a bundle of ``batches`` ([column values], BIGINT) through the functions
    [(qualname, [Expression], result kind)]."""
    payload = protos.ScalarFunctionPayload()
    for name in inputs:
        payload.input_columns.add(name=name).type.kind = BIGINT
    for qualname, args, kind in functions:
        f = payload.functions.add(module="sample_udfs", qualname=qualname, result_name="out")
        f.args.extend(args)
        f.result_type.kind = kind
    processor = processors.from_descriptor(_descriptor(payload), processors.Registration())
    wire = []
    for cols in batches:
        b = protos.RowBatch(row_count=len(cols[0]))
        for values in cols:
            b.columns.add().longs.extend(values)
        wire.append(b.SerializeToString())
    with pytest.raises(BundleError) as info:
        processor.process(processors.BundleContext("b", iter(wire), lambda data: None))
    message = str(info.value)
    assert "\n" not in message and len(message) < 300, message  # one short line, no traceback
    return message


def _descriptor(payload):
    descriptor = protos.ProcessBundleDescriptor(id="d")
    descriptor.transforms[protos.TRANSFORM_ID].spec.urn = protos.SCALAR_FUNCTION_URN
    descriptor.transforms[protos.TRANSFORM_ID].spec.payload = payload.SerializeToString()
    return descriptor


def test_a_scalar_result_names_the_argument_columns_the_row_and_the_bundles_batch():
    assert bundle_error(["x"], [("str_at_501", [col(0)], BIGINT)], [[1, 2]], [[500, 501, 502]]) == (
        "Python function 'sample_udfs:str_at_501' (output column 'out') returned 'abc' on row 1 of the "
        "bundle's batch 1 (x=501), which the BIGINT column cannot hold: BIGINT cannot hold a value of type str")


def test_a_nested_call_names_every_input_column_its_tree_reads():
    message = bundle_error(["a", "b", "unused"], [("join", [call("Holder.twice", col(0)), col(1), col(0)], BIGINT)],
                           [[4], [10], [0]])
    assert message == ("Python function 'sample_udfs:join' (output column 'out') returned '8-10-4' on row 0 of the "
                       "bundle's batch 0 (a=4, b=10), which the BIGINT column cannot hold: BIGINT cannot hold a "
                       "value of type str")


def test_a_function_of_no_columns_names_only_the_row():
    assert bundle_error(["x"], [("constant", [], STRING)], [[1]]) == (
        "Python function 'sample_udfs:constant' (output column 'out') returned 7 on row 0 of the bundle's batch 0, "
        "which the STRING column cannot hold: STRING cannot hold a value of type int")


def test_a_keyed_result_names_the_key_and_the_row():
    service = InMemoryStateService()
    registered = descriptors.RegisteredDescriptor(keyed_descriptor("sample_udfs", "greet_with_length"), [],
                                                  lambda url: service)
    row = protos.KEYED_EVENT["KEYED_EVENT_ROW"]
    batch = keyed_batch((row, 1, "Bo", "Bo"), (row, 2, "Ada", "Ada"))
    with pytest.raises(BundleError) as info:
        registered.processor().process(registered.bundle("b", iter([batch]), lambda data: None))
    assert str(info.value) == (
        "Python function 'sample_udfs:greet_with_length' (output column 'greeting') returned 2 for key 'Bo' "
        "(row Row(name='Bo')), which the STRING column cannot hold: STRING cannot hold a value of type int")
