"""The worker's and the pool's entry points: ``python -m fnharness_worker`` and the console scripts
of the wheel, ``fnharness-worker`` and ``fnharness-worker-pool``.

Each first checks that grpc and protobuf import: the usual cause of a worker that cannot start is
an interpreter without them (python.executable pointing at the wrong Python), and a bare
ImportError deep in a traceback does not say which interpreter, nor what to do.
"""
import importlib
import sys

# Keep in step with requirements.txt and pyproject.toml (tests/test_boot.py checks both).
REQUIREMENTS = ("grpcio>=1.51", "protobuf>=4.21")
# The runner shows a start-up error's first line that begins so as the worker's own summary
# (docs/protocol.md, "Start-up").
SUMMARY_PREFIX = "fnharness worker"


def missing_dependencies():
    """(module, ImportError text) for each of grpc and protobuf that cannot be imported."""
    missing = []
    for module in ("grpc", "google.protobuf"):
        try:
            importlib.import_module(module)
        except ImportError as e:
            missing.append((module, str(e)))
    return missing


def check_dependencies(who="worker"):
    """Exits with code 2 and a one-line summary naming the fix when grpc or protobuf is missing."""
    missing = missing_dependencies()
    if not missing:
        return
    what = ", ".join(f"{module} ({error})" for module, error in missing)
    requirements = " ".join(f'"{r}"' for r in REQUIREMENTS)
    if who == "worker":
        instead = "or point python.executable (fnharness run: --python) at a Python that has them"
    else:
        instead = "or start the pool with a Python that has them"
    sys.stderr.write(
        f"{SUMMARY_PREFIX}: {sys.executable} cannot import {what}. "
        f"Fix: {sys.executable} -m pip install {requirements}, {instead}.\n"
        f"(On Debian/Ubuntu also: apt-get install python3-grpcio python3-protobuf.)\n")
    sys.exit(2)


def version():
    """The wheel's version (the Maven project version, PEP 440: 0.1.0-SNAPSHOT is 0.1.0.dev0)."""
    try:
        from ._version import __version__
    except ImportError:  # the sources, not a build: the Maven build writes _version.py
        return "unknown (not built)"
    return __version__


def worker(argv=None):
    """``fnharness-worker --id ID --provision_endpoint HOST:PORT``: what runners start."""
    check_dependencies("worker")
    try:
        from fnharness_worker import boot
    except Exception as e:  # e.g. the descriptor set is missing from the worker package
        sys.stderr.write(f"{SUMMARY_PREFIX}: start-up failed: {type(e).__name__}: {e}\n")
        return 1
    return boot.main(sys.argv[1:] if argv is None else argv)


def pool(argv=None):
    """``fnharness-worker-pool --host H --port N [--token-file F]``: an external worker pool."""
    check_dependencies("pool")
    from fnharness_worker import pool as worker_pool
    return worker_pool.main(sys.argv[1:] if argv is None else argv)
