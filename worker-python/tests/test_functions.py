import sys

import pytest

from conftest import UDF_DIR
from fnharness_worker.functions import FunctionLoadError, load_function

FILES = ["/somewhere/udfs.py"]


@pytest.fixture(autouse=True)
def udf_dir_on_path(monkeypatch):
    monkeypatch.syspath_prepend(UDF_DIR)


def load_error(module, qualname):
    with pytest.raises(FunctionLoadError) as info:
        load_function(module, qualname, FILES)
    return str(info.value)


def test_loads_functions_and_nested_attributes():
    assert load_function("sample_udfs", "add", FILES)(1, 2) == 3
    assert load_function("sample_udfs", "Holder.twice", FILES)(4) == 8


def test_missing_module():
    error = load_error("no_such_module_xyz", "f")
    head, tail = error.split("\n\n", 1)
    assert head == ("Cannot load Python function 'no_such_module_xyz:f': ModuleNotFoundError: "
                    "No module named 'no_such_module_xyz'\n"
                    f"python.files: {FILES}\n"
                    f"sys.path: {sys.path}")
    assert tail.startswith("Traceback (most recent call last):")
    assert "ModuleNotFoundError" in tail


def test_missing_attribute():
    error = load_error("sample_udfs", "Holder.nope")
    assert error.startswith("Cannot load Python function 'sample_udfs:Holder.nope': AttributeError: ")
    assert "'nope'" in error.split("\n")[0]
    assert "python.files: ['/somewhere/udfs.py']\nsys.path: [" in error


def test_not_callable():
    error = load_error("sample_udfs", "NOT_CALLABLE")
    assert error.startswith("Cannot load Python function 'sample_udfs:NOT_CALLABLE': TypeError: "
                            "'sample_udfs:NOT_CALLABLE' is not callable, it is a int\n")


def test_error_raised_while_importing_the_module(tmp_path, monkeypatch):
    (tmp_path / "broken_udfs.py").write_text("x = 1\nraise RuntimeError('boom at import')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    error = load_error("broken_udfs", "f")
    assert error.startswith("Cannot load Python function 'broken_udfs:f': RuntimeError: boom at import\n")
    assert "broken_udfs.py\", line 2" in error
