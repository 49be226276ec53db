"""Makes fnharness_worker importable for the tests and for the worker subprocesses they start.

Under ``mvn -pl worker-python test`` PYTHONPATH is the staged package (sources plus descriptor
set). Run directly (``python3 -m pytest tests``), the tests use ``src`` and the descriptor set
the proto module built.
"""
import os
import sys

WORKER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS_DIR = os.path.join(WORKER_DIR, "tests")
UDF_DIR = os.path.join(TESTS_DIR, "udfs")
_DESC_CANDIDATES = (
    os.path.join(WORKER_DIR, "target", "worker-package", "fnharness_worker", "fnharness-protos.desc"),
    os.path.join(WORKER_DIR, "..", "proto", "target", "classes", "fnharness", "fnharness-protos.desc"),
)


def _setup_import_path():
    try:
        import fnharness_worker  # noqa: F401  (found on PYTHONPATH)
    except ImportError:
        sys.path.insert(0, os.path.join(WORKER_DIR, "src"))
        import fnharness_worker
    package_dir = os.path.dirname(os.path.abspath(fnharness_worker.__file__))
    if not os.path.exists(os.path.join(package_dir, "fnharness-protos.desc")) and "FNHARNESS_PROTOS_DESC" not in os.environ:
        for candidate in _DESC_CANDIDATES:
            if os.path.exists(candidate):
                os.environ["FNHARNESS_PROTOS_DESC"] = os.path.abspath(candidate)
                break
    return os.path.dirname(package_dir)


PACKAGE_ROOT = _setup_import_path()


def worker_env(**extra):
    """Environment for a worker subprocess, as harness-java sets it up."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([PACKAGE_ROOT] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def view_of(message):
    """What the worker parses from a RowBatch / Column as the runner writes it: the
    RowBatchView / ColumnView of its bytes (packed fixed-width lists as bytes)."""
    from fnharness_worker import protos
    view = protos.RowBatchView if isinstance(message, protos.RowBatch) else protos.ColumnView
    return view.FromString(message.SerializeToString())


def contract_of(view):
    """What the runner reads from the bytes of a RowBatchView / ColumnView the worker built."""
    from fnharness_worker import protos
    message = protos.RowBatch if isinstance(view, protos.RowBatchView) else protos.Column
    return message.FromString(view.SerializeToString())


def keyed_descriptor(module, qualname, timer_qualname=""):
    """A keyed function's descriptor: key and input column 'name' (STRING), output columns
    'name' and 'greeting' (STRING)."""
    from fnharness_worker import columns, protos
    payload = protos.KeyedFunctionPayload(module=module, qualname=qualname, state_cache_entries=10)
    if timer_qualname:
        payload.timer_module, payload.timer_qualname = module, timer_qualname
    payload.key_type.kind = columns.STRING
    payload.input_columns.add(name="name").type.kind = columns.STRING
    for name in ("name", "greeting"):
        payload.output_columns.add(name=name).type.kind = columns.STRING
    descriptor = protos.ProcessBundleDescriptor(id="k")
    descriptor.state_api_service_descriptor.url = "in-memory"
    descriptor.transforms[protos.TRANSFORM_ID].spec.urn = protos.KEYED_FUNCTION_URN
    descriptor.transforms[protos.TRANSFORM_ID].spec.payload = payload.SerializeToString()
    return descriptor


def keyed_batch(*events):
    """The serialized input batch of keyed_descriptor's function; events: (event kind, timestamp,
    key, name or None)."""
    from fnharness_worker import protos
    b = protos.RowBatch(row_count=len(events))
    kinds, times, keys, rows = zip(*events)
    b.columns.add().longs.extend(kinds)
    b.columns.add().longs.extend(times)
    b.columns.add().strings.extend(keys)
    b.columns.add().strings.extend(name or "" for name in rows)
    return b.SerializeToString()
