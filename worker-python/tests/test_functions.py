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


def test_a_misspelt_function_names_the_closest_match_and_the_modules_functions():
    error = load_error("sample_udfs", "uppr")
    first, *rest = error.split("\n")
    assert first.startswith("Cannot load Python function 'sample_udfs:uppr': AttributeError: module 'sample_udfs' "
                            "has no function 'uppr'; did you mean 'upper'? Functions in sample_udfs: Holder, add, ")
    listed = first.split("Functions in sample_udfs: ")[1].split(", ")
    assert "upper" in listed and "logging" not in listed  # its functions, not the modules it imports
    # Short: the module was found, so no traceback; python.files and sys.path as in every load error.
    assert [line.split(":")[0] for line in rest] == ["python.files", "sys.path"]
    assert "Traceback" not in error
    error = load_error("sample_udfs", "Holder.twise")
    assert error.split("\n")[0].endswith(
        "AttributeError: class 'sample_udfs.Holder' has no function 'twise'; did you mean 'twice'? "
        "Functions in sample_udfs.Holder: twice")


def test_a_name_like_none_of_the_functions_lists_them_without_a_guess(tmp_path, monkeypatch):
    (tmp_path / "many_udfs.py").write_text(
        "import json\nfrom os.path import join\n" + "".join(f"def f{i:02d}(x):\n    return x\n" for i in range(25)))
    monkeypatch.syspath_prepend(str(tmp_path))
    first = load_error("many_udfs", "zzz").split("\n")[0]
    assert first.endswith("module 'many_udfs' has no function 'zzz'. Functions in many_udfs: "
                          + ", ".join(f"f{i:02d}" for i in range(20)) + ", ... (5 more)")
