"""The real worker process against a fake runner (tests/fake_runner.py)."""
import os
import subprocess
import sys
import time

import pytest

from conftest import UDF_DIR, worker_env
from fake_runner import FakeRunner
from fnharness_worker import columns, protos

SAMPLE_UDFS = os.path.join(UDF_DIR, "sample_udfs.py")
BIGINT, STRING = columns.BIGINT, columns.STRING


@pytest.fixture
def runner(tmp_path):
    runner = FakeRunner(python_files=[SAMPLE_UDFS])
    runner.tmp_path = tmp_path
    runner.start_worker(stderr_path=tmp_path / "worker.stderr", TMPDIR=str(tmp_path))
    yield runner
    runner.stop()


def batch(row_count, *cols):
    """cols: (field, values, nulls bytes)"""
    b = protos.RowBatch(row_count=row_count)
    for field, values, nulls in cols:
        c = b.columns.add(nulls=nulls)
        getattr(c, field).extend(values)
    return b.SerializeToString()


def test_register_and_process_bundle_with_two_batches(runner):
    response = runner.register(
        [("a", BIGINT), ("b", BIGINT), ("s", STRING)],
        [("sample_udfs", "add", [0, 1], BIGINT, "sum"),
         ("sample_udfs", "upper", [2], STRING, "up"),
         ("sample_udfs", "Holder.twice", [0], BIGINT, "twice")])
    assert response.error == ""
    assert response.WhichOneof("response") == "register"

    # Input may come before the process_bundle instruction.
    runner.send_data("b1", batch(3, ("longs", [1, 2, 3], b""), ("longs", [10, 0, 30], b"\x02"),
                                 ("strings", ["x", "ä", "😀"], b"")))
    runner.process_bundle("b1")
    runner.send_data("b1", batch(2, ("longs", [-(1 << 62), 5], b""), ("longs", [1 << 62, 6], b""),
                                 ("strings", ["", "q"], b"\x01")))
    runner.send_data("b1", is_last=True)

    out = runner.output("b1")
    response = runner.response()
    assert response.instruction_id == "b1"
    assert response.error == ""
    assert response.WhichOneof("response") == "process_bundle"

    assert [b.row_count for b in out] == [3, 2]
    first, second = out
    assert list(first.columns[0].longs) == [11, 0, 33]
    assert first.columns[0].nulls == b"\x02"
    assert list(first.columns[1].strings) == ["X", "Ä", "😀"]
    assert first.columns[1].nulls == b""
    assert list(first.columns[2].longs) == [2, 4, 6]
    assert list(second.columns[0].longs) == [0, 11]
    assert list(second.columns[1].strings) == ["", "Q"]
    assert second.columns[1].nulls == b"\x01"
    assert runner.metadata == {name: "worker-1" for name in ("provision", "control", "data", "logging")}


def test_batches_larger_than_grpc_default_message_limit(runner):
    assert runner.register([("s", STRING)], [("sample_udfs", "upper", [0], STRING, "up")]).error == ""
    big = "ab" * (3 << 20)  # 6 MB, over gRPC's 4 MB default
    runner.process_bundle("big")
    runner.send_data("big", batch(2, ("strings", [big, "c"], b"")))
    runner.send_data("big", is_last=True)
    out = runner.output("big")
    assert list(out[0].columns[0].strings) == [big.upper(), "C"]
    assert runner.response().error == ""


def test_raising_function_fails_the_bundle_and_the_worker_goes_on(runner):
    assert runner.register([("x", BIGINT)], [("sample_udfs", "fail_on_three", [0], BIGINT, "y")]).error == ""
    runner.process_bundle("bad")
    runner.send_data("bad", batch(4, ("longs", [1, 2, 3, 4], b"")))
    response = runner.response()
    assert response.error.startswith(
        "Python function 'sample_udfs:fail_on_three' failed on row 2 of the batch (args: 3):\nTraceback")
    assert "ValueError: three is not allowed" in response.error
    assert "sample_udfs.py" in response.error
    # The rest of the failed bundle's input is dropped; the next bundle works.
    runner.send_data("bad", batch(1, ("longs", [3], b"")))
    runner.send_data("bad", is_last=True)
    runner.process_bundle("good")
    runner.send_data("good", batch(2, ("longs", [1, 2], b"")))
    runner.send_data("good", is_last=True)
    out = runner.output("good")  # asserts that nothing of "bad" comes out in between
    assert [list(b.columns[0].longs) for b in out] == [[1, 2]]
    assert runner.response().error == ""


def test_result_of_wrong_type_names_function_column_row_and_value(runner):
    assert runner.register([("x", BIGINT)], [("sample_udfs", "wrong_type", [0], BIGINT, "out")]).error == ""
    runner.process_bundle("b")
    runner.send_data("b", batch(1, ("longs", [1], b"")))
    runner.send_data("b", is_last=True)
    error = runner.response().error
    assert "Python function 'sample_udfs:wrong_type' (output column 'out')" in error
    assert "'not a number' on row 0" in error


def test_missing_module_and_attribute_answer_register_with_the_contract_error(runner):
    error = runner.register([("x", BIGINT)], [("no_such_module", "f", [0], BIGINT, "y")]).error
    assert error.startswith("Cannot load Python function 'no_such_module:f': ModuleNotFoundError: "
                            "No module named 'no_such_module'\npython.files: ['" + SAMPLE_UDFS + "']\nsys.path: [")
    assert "\n\nTraceback (most recent call last):" in error

    error = runner.register([("x", BIGINT)], [("sample_udfs", "nope", [0], BIGINT, "y")], descriptor_id="d2").error
    assert error.startswith("Cannot load Python function 'sample_udfs:nope': AttributeError: ")
    # A process_bundle for the descriptor that failed to register is an error too.
    runner.process_bundle("b", descriptor_id="d2")
    assert "unknown process bundle descriptor 'd2'" in runner.response().error


def test_unsupported_instruction(runner):
    request = protos.InstructionRequest()
    request.finalize_bundle.instruction_id = "x"
    assert runner.instruct(request).error == "unsupported instruction: finalize_bundle"


def test_logging_and_print_arrive_as_log_entries(runner):
    assert runner.register([("x", BIGINT)], [("sample_udfs", "log_and_print", [0], BIGINT, "y")]).error == ""
    runner.process_bundle("logs")
    runner.send_data("logs", batch(1, ("longs", [42], b"")))
    runner.send_data("logs", is_last=True)
    runner.output("logs")
    assert runner.response().error == ""

    warn = protos.SEVERITY["WARN"]
    entry = runner.wait_for_log(lambda e: e.log_location == "sample_udfs" and e.message == "saw 42")
    assert entry.severity == warn
    assert entry.instruction_id == "logs"
    assert entry.thread
    assert entry.timestamp.seconds > time.time() - 60
    printed = runner.wait_for_log(lambda e: e.log_location == "stdout")
    assert printed.message == "printed 42"
    assert printed.instruction_id == "logs"
    assert printed.severity == protos.SEVERITY["INFO"]
    traced = runner.wait_for_log(lambda e: e.message == "with a trace")
    assert "KeyError: 'for the trace'" in traced.trace
    started = runner.wait_for_log(lambda e: e.log_location == "fnharness_worker.boot")
    assert "worker worker-1 started" in started.message


def test_worker_exits_when_the_runner_goes_away(runner):
    assert runner.worker.poll() is None
    work_dirs = list(runner.tmp_path.glob("fnharness-worker-1-*"))
    assert [os.listdir(os.path.join(d, "files")) for d in work_dirs] == [["sample_udfs.py"]]
    runner.server.stop(0)
    assert runner.worker.wait(5) == 0
    assert not list(runner.tmp_path.glob("fnharness-worker-1-*"))  # work directory removed


def test_worker_flushes_its_logs_and_exits_when_the_control_stream_ends(runner):
    runner.instructions.put(None)  # the runner completes the Control stream; Logging stays up
    assert runner.worker.wait(5) == 0
    entry = runner.wait_for_log(lambda e: "exits" in e.message, timeout=1)
    assert entry.message == "worker worker-1 exits: the runner closed the Control stream"


def test_worker_exits_even_while_a_function_hangs(runner):
    assert runner.register([("x", BIGINT)], [("sample_udfs", "sleep_forever", [0], BIGINT, "y")]).error == ""
    runner.process_bundle("stuck")
    runner.send_data("stuck", batch(1, ("longs", [1], b"")))
    time.sleep(0.2)
    runner.server.stop(0)
    assert runner.worker.wait(5) == 0


def test_start_up_failure_is_reported_on_stderr():
    env = worker_env(FNHARNESS_PROTOS_DESC="/nonexistent/fnharness-protos.desc")
    result = subprocess.run([sys.executable, "-m", "fnharness_worker", "--id", "w", "--provision_endpoint", "127.0.0.1:1"],
                            env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "start-up failed" in result.stderr and "/nonexistent/fnharness-protos.desc" in result.stderr


def test_missing_grpc_exits_with_code_2_and_names_the_interpreter(tmp_path):
    # A grpc package that cannot be imported stands in for an interpreter without grpcio.
    (tmp_path / "grpc").mkdir()
    (tmp_path / "grpc" / "__init__.py").write_text("raise ImportError('simulated: no grpc here')\n")
    env = worker_env()
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env["PYTHONPATH"]])
    result = subprocess.run([sys.executable, "-m", "fnharness_worker", "--id", "w", "--provision_endpoint", "127.0.0.1:1"],
                            env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    # one line the runner shows first: what is wrong and the fix (docs/protocol.md, "Start-up")
    summary = result.stderr.splitlines()[0]
    assert summary.startswith(f"fnharness worker: {sys.executable} cannot import grpc (simulated: no grpc here).")
    assert f'Fix: {sys.executable} -m pip install "grpcio>=1.51" "protobuf>=4.21"' in summary
    assert "python.executable" in summary
    assert "apt-get install python3-grpcio python3-protobuf" in result.stderr
    assert len(result.stderr.splitlines()) <= 2
