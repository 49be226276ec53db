"""The wheel ``mvn package`` builds (target/fnharness_worker-<version>-py3-none-any.whl): what it
holds, and that its console scripts run once installed. Maven names it in env FNHARNESS_WHEEL;
run straight from the sources there is none to test."""
import email.parser
import os
import subprocess
import sys
import zipfile

import pytest

from fnharness_worker.entry import REQUIREMENTS

WHEEL = os.environ.get("FNHARNESS_WHEEL")
pytestmark = pytest.mark.skipif(not WHEEL, reason="no wheel: it is built by mvn package (env FNHARNESS_WHEEL)")


def _dist_info(wheel, name):
    version = os.path.basename(WHEEL).split("-")[1]
    return wheel.read(f"fnharness_worker-{version}.dist-info/{name}").decode()


def test_the_wheel_holds_the_package_with_its_descriptor_set_and_version():
    with zipfile.ZipFile(WHEEL) as wheel:
        names = set(wheel.namelist())
        assert {"fnharness_worker/__main__.py", "fnharness_worker/boot.py", "fnharness_worker/pool.py",
                "fnharness_worker/columns/__init__.py", "fnharness_worker/fnharness-protos.desc",
                "fnharness_worker/_version.py"} <= names
        assert not any("__pycache__" in name or name.startswith("tests/") for name in names)
        metadata = email.parser.Parser().parsestr(_dist_info(wheel, "METADATA"))
        version_py = wheel.read("fnharness_worker/_version.py").decode()
        entry_points = _dist_info(wheel, "entry_points.txt")
    assert metadata["Name"] == "fnharness-worker"
    assert f'__version__ = "{metadata["Version"]}"' in version_py
    assert os.path.basename(WHEEL) == f"fnharness_worker-{metadata['Version']}-py3-none-any.whl"
    assert metadata.get_all("Requires-Dist") == list(REQUIREMENTS)
    assert "fnharness-worker=fnharness_worker.entry:worker" in entry_points
    assert "fnharness-worker-pool=fnharness_worker.entry:pool" in entry_points


def test_installed_its_pool_script_starts_a_pool(tmp_path):
    target = tmp_path / "site"
    # --no-deps: this interpreter has grpcio and protobuf already; nothing is fetched.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(target), WHEEL], check=True, timeout=120)
    env = dict(os.environ, PYTHONPATH=str(target))
    env.pop("FNHARNESS_PROTOS_DESC", None)  # the installed package's own descriptor set
    pool = subprocess.Popen([str(target / "bin" / "fnharness-worker-pool"), "--host", "127.0.0.1", "--port", "0"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = pool.stdout.readline()
        assert line.startswith("fnharness worker pool listening on 127.0.0.1:"), pool.stderr.read()
    finally:
        pool.terminate()
        assert pool.wait(10) == 0
    version = subprocess.run([str(target / "bin" / "fnharness-worker"), "--version"], env=env,
                             capture_output=True, text=True, timeout=30)
    assert version.stdout.strip() == "fnharness-worker " + os.path.basename(WHEEL).split("-")[1]
