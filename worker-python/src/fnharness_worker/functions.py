"""Finding the user's Python functions by module and qualified name."""
import difflib
import importlib
import inspect
import sys
import traceback

from .errors import RegisterError

MAX_LISTED = 20  # functions a "no function" error lists


class FunctionLoadError(RegisterError):
    """The function cannot be loaded; the message is the register error of docs/protocol.md."""


class _NoSuchFunction(AttributeError):
    """A missing name in a module or class that was found: the message lists what is there."""


def load_function(module, qualname, python_files):
    """Import ``module`` and follow the dotted ``qualname`` ("fn" or "Class.method") in it.

    Call after sys.path holds python.files, so that user modules can be found. The error text
    names the function, python.files and sys.path, because "module not found" almost always
    means the function's file was not shipped or sits in a different directory than expected;
    a misspelt name instead lists the names that are there, with the closest first.
    """
    try:
        if not module or not qualname:
            raise ValueError("module and qualname must both be set")
        obj = importlib.import_module(module)
        owner = module
        for part in qualname.split("."):
            if not hasattr(obj, part):
                raise _NoSuchFunction(_no_such_function(obj, owner, part))
            obj = getattr(obj, part)
            owner = f"{owner}.{part}"
        if not callable(obj):
            raise TypeError(f"'{module}:{qualname}' is not callable, it is a {type(obj).__name__}")
        return obj
    except _NoSuchFunction as e:  # its traceback would only show this function
        raise FunctionLoadError(_load_error(module, qualname, "AttributeError", e, python_files)) from e
    except (Exception, SystemExit) as e:  # SystemExit: a module calling sys.exit() on import
        raise FunctionLoadError(_load_error(module, qualname, type(e).__name__, e, python_files)
                                + f"\n\n{traceback.format_exc()}") from e


def _load_error(module, qualname, kind, error, python_files):
    return (f"Cannot load Python function '{module}:{qualname}': {kind}: {error}\n"
            f"python.files: {list(python_files)}\n"
            f"sys.path: {sys.path}")


def _no_such_function(container, name, missing):
    """"module 'udfs' has no function 'add_onne'; did you mean 'add_one'? Functions in udfs: ..."."""
    what = "module" if inspect.ismodule(container) else "class"
    candidates = _functions_in(container)
    close = difflib.get_close_matches(missing, candidates, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "."
    listed = ", ".join(candidates[:MAX_LISTED])
    if len(candidates) > MAX_LISTED:
        listed += f", ... ({len(candidates) - MAX_LISTED} more)"
    return f"{what} '{name}' has no function '{missing}'{hint} Functions in {name}: {listed or '(none)'}"


def _functions_in(container):
    """The public callables of a module (those defined in it, if any are) or a class, sorted."""
    names = [name for name in dir(container) if not name.startswith("_")
             and callable(getattr(container, name, None)) and not inspect.ismodule(getattr(container, name))]
    if inspect.ismodule(container):
        own = [name for name in names if getattr(getattr(container, name), "__module__", None) == container.__name__]
        names = own or names
    return sorted(names)
