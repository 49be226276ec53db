"""Function classes: one instance per registered descriptor, open(context) before the first row,
close() at the end, also after a failure."""
import json
import os

import pytest

from conftest import UDF_DIR, contract_of, keyed_batch, keyed_descriptor
from fake_runner import FakeRunner
from fnharness_worker import columns, descriptors, lifecycle, processors, protos, state_client
from fnharness_worker.errors import BundleError, RegisterError
from test_state import InMemoryStateService

BIGINT, STRING = columns.BIGINT, columns.STRING
LIFECYCLE_UDFS = os.path.join(UDF_DIR, "lifecycle_udfs.py")


@pytest.fixture(autouse=True)
def udf_dir_on_path(monkeypatch):
    monkeypatch.syspath_prepend(UDF_DIR)


@pytest.fixture
def events():
    import lifecycle_udfs
    lifecycle_udfs.EVENTS.clear()
    yield lifecycle_udfs.EVENTS
    lifecycle_udfs.EVENTS.clear()


def scalar_descriptor(*qualnames, operator_info=None, descriptor_id="d1"):
    payload = protos.ScalarFunctionPayload()
    payload.input_columns.add(name="x").type.kind = BIGINT
    for i, qualname in enumerate(qualnames):
        f = payload.functions.add(module="lifecycle_udfs", qualname=qualname, arg_columns=[0], result_name=f"y{i}")
        f.result_type.kind = BIGINT
    descriptor = protos.ProcessBundleDescriptor(id=descriptor_id)
    descriptor.transforms[protos.TRANSFORM_ID].spec.urn = protos.SCALAR_FUNCTION_URN
    descriptor.transforms[protos.TRANSFORM_ID].spec.payload = payload.SerializeToString()
    if operator_info is not None:
        descriptor.transforms[protos.TRANSFORM_ID].annotations[protos.OPERATOR_INFO_ANNOTATION] = (
            operator_info.SerializeToString())
    return descriptor


def longs(*values):
    b = protos.RowBatch(row_count=len(values))
    b.columns.add().longs.extend(values)
    return b.SerializeToString()


def run_bundle(registered, *batches):
    sent = []
    registered.processor().process(registered.bundle("b", iter(batches), sent.append))
    """The output batches, each as its columns' values."""
    return [[list(c.longs) for c in contract_of(protos.RowBatchView.FromString(s)).columns] for s in sent]


def names(events):
    return [event for _, event, _ in events]


def test_a_class_is_instantiated_once_opened_before_the_first_row_and_closed_at_the_end(events):
    registered = descriptors.RegisteredDescriptor(scalar_descriptor("Recorder", "Recorder.twice"), [], None)
    assert names(events) == ["open"]
    assert events[0][2] == {"subtask": 0, "parallelism": 1, "max_parallelism": 1, "attempt": 0, "task": ""}
    assert run_bundle(registered, longs(1, 2)) == [[[2, 3], [2, 4]]]
    assert run_bundle(registered, longs(5)) == [[[6], [10]]]
    registered.close()
    registered.close()  # once only
    # One instance: both functions of the descriptor, Recorder and its method, are its calls.
    assert len({instance for instance, _, _ in events}) == 1
    assert names(events) == ["open", "first_row", "close"]
    assert events[-1][2] == {"rows": 3}


def test_the_context_carries_the_operator_info_the_runner_sends(events):
    info = protos.OperatorInfo(task_name="Python functions (2/4)#1", subtask_index=1, parallelism=4,
                               max_parallelism=128, attempt_number=1, job_parameters={"record": ""})
    descriptors.RegisteredDescriptor(scalar_descriptor("Recorder", operator_info=info), [], None)
    assert events[0][2] == {"subtask": 1, "parallelism": 4, "max_parallelism": 128, "attempt": 1,
                            "task": "Python functions (2/4)#1"}
    context = lifecycle.FunctionContext(info)
    assert dict(context.job_parameters) == {"record": ""}
    with pytest.raises(TypeError):
        context.job_parameters["x"] = "y"  # read-only: every function of the operator shares it


def test_each_descriptor_has_its_own_instances(events):
    first = descriptors.RegisteredDescriptor(scalar_descriptor("Recorder", descriptor_id="a"), [], None)
    second = descriptors.RegisteredDescriptor(scalar_descriptor("Recorder", descriptor_id="b"), [], None)
    run_bundle(first, longs(1))
    first.close()
    assert len({instance for instance, event, _ in events if event == "open"}) == 2
    assert names(events) == ["open", "open", "first_row", "close"]
    second.close()


def test_a_failed_bundle_closes_the_functions_and_a_later_bundle_opens_new_ones(events):
    registered = descriptors.RegisteredDescriptor(scalar_descriptor("Recorder"), [], None)
    with pytest.raises(BundleError, match=r"failed on row 1 of the batch \(args: -1\)"):
        run_bundle(registered, longs(1, -1, 3))
    registered.close()  # as control.py does for any failed bundle
    assert names(events) == ["open", "first_row", "raise", "close"]
    assert run_bundle(registered, longs(7)) == [[[8]]]
    registered.close()
    assert names(events)[4:] == ["open", "first_row", "close"]
    assert events[0][0] != events[4][0]  # a new instance


def test_plain_functions_and_classes_whose_instances_are_not_callable_are_called_as_they_are(events):
    functions = lifecycle.FunctionInstances([], lifecycle.FunctionContext())
    assert functions.load("lifecycle_udfs", "Point")(1, 2) == (1, 2)  # the constructor, per row
    assert functions.load("builtins", "str")(5) == "5"
    assert functions.load("builtins", "type")(5) is int  # a metaclass: its instances are classes
    assert functions.load("lifecycle_udfs", "NoOpen")(3) == -3
    assert functions.instance("lifecycle_udfs", "Point") is None
    functions.open()
    functions.close()
    assert events == []


def test_errors_in_init_and_open_fail_the_register_and_close_what_was_opened(events):
    with pytest.raises(RegisterError) as info:
        descriptors.RegisteredDescriptor(scalar_descriptor("FailsInInit"), [], None)
    assert str(info.value).startswith("Python function 'lifecycle_udfs:FailsInInit' failed in __init__():\n"
                                      "Traceback (most recent call last):\n")
    assert str(info.value).rstrip().endswith("RuntimeError: cannot build")

    with pytest.raises(RegisterError) as info:
        descriptors.RegisteredDescriptor(scalar_descriptor("Recorder", "FailsInOpen"), [], None)
    assert str(info.value).startswith("Python function 'lifecycle_udfs:FailsInOpen' failed in open(context):\n")
    assert "RuntimeError: cannot open the model" in str(info.value)
    assert names(events) == ["open", "close"]  # the Recorder opened before it was closed again


def test_a_close_that_raises_is_logged_and_the_others_still_close(events, caplog):
    registered = descriptors.RegisteredDescriptor(scalar_descriptor("Recorder", "FailsInClose"), [], None)
    registered.close()
    assert names(events) == ["open", "open", "close", "close"]
    assert "Python function 'lifecycle_udfs:FailsInClose' failed in close()" in caplog.text
    assert "RuntimeError: cannot close" in caplog.text


def greetings(timer_qualname=""):
    """The EMIT rows' greetings of a row and a fired timer for key 'Ada'."""
    service = InMemoryStateService()
    registered = descriptors.RegisteredDescriptor(keyed_descriptor("lifecycle_udfs", "Greeter", timer_qualname), [],
                                                  lambda url: service)
    sent = []
    row, timer = protos.KEYED_EVENT["KEYED_EVENT_ROW"], protos.KEYED_EVENT["KEYED_EVENT_EVENT_TIME_TIMER"]
    batch = keyed_batch((row, 1, "Ada", "Ada"), (timer, 100, "Ada", None))
    registered.processor().process(registered.bundle("b", iter([batch]), sent.append))
    out = contract_of(protos.RowBatchView.FromString(sent[0]))
    emits = [i for i, action in enumerate(out.columns[1].longs) if action == protos.KEYED_ACTION["KEYED_ACTION_EMIT"]]
    registered.close()
    return [out.columns[4].strings[i] for i in emits]


def test_a_keyed_class_is_called_per_row_and_its_on_timer_method_per_timer(events):
    hello, timer = greetings()
    instance = events[0][0]
    assert hello == "Hello Ada"
    assert timer == f"timer of {instance} at 100"
    assert names(events) == ["open", "close"]


def test_a_named_timer_method_of_the_keyed_class_runs_on_the_same_instance(events):
    hello, timer = greetings("Greeter.forget")
    assert (hello, timer) == ("Hello Ada", f"forget of {events[0][0]}")
    assert len({instance for instance, _, _ in events}) == 1


def test_a_keyed_descriptor_without_a_state_endpoint_fails_at_register():
    descriptor = keyed_descriptor("lifecycle_udfs", "Greeter")
    descriptor.state_api_service_descriptor.url = ""
    with pytest.raises(RegisterError, match="of a keyed function has no state_api_service_descriptor"):
        processors.from_descriptor(descriptor, processors.Registration.of(descriptor, []))


def test_state_key_bytes_of_an_unsupported_key_type_fail_at_register():
    with pytest.raises(RegisterError, match="unsupported key type DATE"):
        state_client.key_encoder(columns.DATE)


# -- the real worker process ---------------------------------------------------------------------


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def bigint_batch(*values):
    b = protos.RowBatch(row_count=len(values))
    b.columns.add().longs.extend(values)
    return b.SerializeToString()


def test_a_worker_closes_the_functions_after_a_failed_bundle_and_when_its_control_stream_ends(tmp_path):
    record = tmp_path / "record.jsonl"
    runner = FakeRunner(python_files=[LIFECYCLE_UDFS])
    try:
        runner.start_worker(stderr_path=tmp_path / "worker.stderr", TMPDIR=str(tmp_path))
        info = protos.OperatorInfo(subtask_index=3, parallelism=4, job_parameters={"record": str(record)})
        for descriptor_id in ("d1", "d2"):
            response = runner.register([("x", BIGINT)], [("lifecycle_udfs", "Recorder", [0], BIGINT, "y")],
                                       descriptor_id=descriptor_id, operator_info=info)
            assert response.error == ""
        for bundle, descriptor_id, values in (("b1", "d1", [1, -1]), ("b2", "d2", [5])):
            runner.process_bundle(bundle, descriptor_id=descriptor_id)
            runner.send_data(bundle, bigint_batch(*values))
            runner.send_data(bundle, is_last=True)
            if bundle == "b2":
                assert [list(b.columns[0].longs) for b in runner.output(bundle)] == [[6]]
            assert ("ValueError: minus one" in runner.response().error) == (bundle == "b1")
            if bundle == "b1":  # closed before the bundle's error was answered
                assert [e["event"] for e in records(record)] == ["open", "open", "first_row", "raise", "close"]
        runner.instructions.put(None)  # the runner closes the Control stream
        assert runner.worker.wait(10) == 0
    finally:
        runner.stop()
    seen = records(record)
    by_instance = {}
    for entry in seen:
        by_instance.setdefault(entry["instance"], []).append(entry["event"])
    assert sorted(by_instance.values()) == [["open", "first_row", "close"], ["open", "first_row", "raise", "close"]]
    assert {(e["subtask"], e["parallelism"]) for e in seen if e["event"] == "open"} == {(3, 4)}
