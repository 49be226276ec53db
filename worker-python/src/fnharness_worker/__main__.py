"""``python -m fnharness_worker --id <worker id> --provision_endpoint host:port``"""
import importlib
import sys

# Keep in step with worker-python/requirements.txt (tests/test_boot.py checks it).
REQUIREMENTS = ("grpcio>=1.51", "protobuf>=4.21")


def check_dependencies():
    """Exit with code 2 and a clear message when grpc or protobuf cannot be imported.

    Done before anything else imports them: the usual cause is that python.executable points at
    an interpreter without them, and a bare ImportError deep in a traceback does not say which.
    """
    missing = []
    for module in ("grpc", "google.protobuf"):
        try:
            importlib.import_module(module)
        except ImportError as e:
            missing.append(f"{module} ({e})")
    if missing:
        requirements = " ".join(f'"{r}"' for r in REQUIREMENTS)
        sys.stderr.write(
            f"fnharness worker: cannot import {', '.join(missing)}.\n"
            f"The Python interpreter {sys.executable} (python.executable) needs grpcio and protobuf.\n"
            f"Install them with:\n"
            f"  {sys.executable} -m pip install {requirements}\n"
            f"(the worker's requirements.txt), or on Debian/Ubuntu:\n"
            f"  apt-get install python3-grpcio python3-protobuf\n")
        sys.exit(2)


if __name__ == "__main__":
    check_dependencies()
    try:
        from fnharness_worker import boot
    except Exception as e:  # e.g. the descriptor set is missing from the worker package
        sys.stderr.write(f"fnharness worker: start-up failed: {type(e).__name__}: {e}\n")
        sys.exit(1)

    sys.exit(boot.main(sys.argv[1:]))
