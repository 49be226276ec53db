import os
import re

from conftest import WORKER_DIR
from fnharness_worker import boot, protos
from fnharness_worker.__main__ import REQUIREMENTS


def test_python_files_become_sys_path_entries_in_order(tmp_path):
    (tmp_path / "a.py").write_text("A = 1\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "b.py").write_text("B = 2\n")
    staging = tmp_path / "staging"
    made = []

    def make_staging_dir():
        made.append(1)
        staging.mkdir()
        return str(staging)

    files = [str(tmp_path / "lib"), str(tmp_path / "a.py"), str(tmp_path / "deps.zip"),
             str(tmp_path / "lib" / "b.py"), str(tmp_path / "missing.py"), str(tmp_path / "notes.txt")]
    entries, staging_dir = boot.python_path_entries(files, make_staging_dir)
    assert entries == [str(tmp_path / "lib"), str(staging), str(tmp_path / "deps.zip")]
    assert staging_dir == str(staging)
    assert made == [1]
    assert sorted(os.listdir(staging)) == ["a.py", "b.py"]


def test_no_staging_directory_without_py_files(tmp_path):
    entries, staging_dir = boot.python_path_entries([str(tmp_path)], lambda: 1 / 0)
    assert entries == [str(tmp_path)] and staging_dir is None


def test_pipeline_options():
    info = protos.ProvisionInfo()
    assert boot.pipeline_options(info) == ([], "INFO")
    info.pipeline_options.update({"python.files": ["/x/a.py", "/y"], "log_level": "DEBUG"})
    assert boot.pipeline_options(info) == (["/x/a.py", "/y"], "DEBUG")


def test_requirements_txt_matches_the_install_hint():
    with open(os.path.join(WORKER_DIR, "requirements.txt")) as f:
        listed = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    assert listed == list(REQUIREMENTS)
    for requirement in listed:
        assert re.fullmatch(r"[a-z]+>=[0-9.]+", requirement)
