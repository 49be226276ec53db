"""fnharness Python worker: runs user functions for Flink over the Beam Fn API."""

from .dependencies import archive_path  # noqa: E402,F401  (for UDFs: where python.archives went)
