"""Finding the user's Python functions by module and qualified name."""
import importlib
import sys
import traceback


class FunctionLoadError(Exception):
    """The function cannot be loaded; the message is the register error of docs/protocol.md."""


def load_function(module, qualname, python_files):
    """Import ``module`` and follow the dotted ``qualname`` ("fn" or "Class.method") in it.

    Call after sys.path holds python.files, so that user modules can be found. The error text
    names the function, python.files and sys.path, because "module not found" almost always
    means the function's file was not shipped or sits in a different directory than expected.
    """
    try:
        if not module or not qualname:
            raise ValueError("module and qualname must both be set")
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        if not callable(obj):
            raise TypeError(f"'{module}:{qualname}' is not callable, it is a {type(obj).__name__}")
        return obj
    except (Exception, SystemExit) as e:  # SystemExit: a module calling sys.exit() on import
        raise FunctionLoadError(
            f"Cannot load Python function '{module}:{qualname}': {type(e).__name__}: {e}\n"
            f"python.files: {list(python_files)}\n"
            f"sys.path: {sys.path}\n\n"
            f"{traceback.format_exc()}") from e
