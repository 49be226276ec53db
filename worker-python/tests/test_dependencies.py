import os
import tarfile
import zipfile

import pytest

from fnharness_worker import dependencies
from wheels import make_wheel


@pytest.fixture
def wheelhouse(tmp_path):
    house = tmp_path / "wheels"
    house.mkdir()
    make_wheel(house)
    return house


def test_requirements_install_offline_into_a_directory_named_by_their_hash(tmp_path, wheelhouse):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("tinydep==1.0\n")
    cache = tmp_path / "cache"
    cache.mkdir()

    site = dependencies.install_requirements(str(requirements), str(wheelhouse), str(cache))

    assert os.path.dirname(site) == str(cache)
    assert os.path.basename(site).startswith("requirements-")
    assert open(os.path.join(site, "tinydep", "__init__.py")).read() == "VALUE = 42\n"
    assert [n for n in os.listdir(cache) if ".building-" in n] == []
    # Same content: the same directory, not a second install.
    marker = os.path.join(site, "marker")
    open(marker, "w").close()
    assert dependencies.install_requirements(str(requirements), str(wheelhouse), str(cache)) == site
    assert os.path.exists(marker)
    # Other content: another directory.
    make_wheel(wheelhouse, version="2.0", source="VALUE = 2\n")
    requirements.write_text("tinydep==2.0\n")
    other = dependencies.install_requirements(str(requirements), str(wheelhouse), str(cache))
    assert other != site
    assert open(os.path.join(other, "tinydep", "__init__.py")).read() == "VALUE = 2\n"


def test_a_requirement_pip_cannot_find_names_pip_and_its_output(tmp_path, wheelhouse):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("not-in-the-wheelhouse==3\n")
    with pytest.raises(dependencies.DependencyError) as failed:
        dependencies.install_requirements(str(requirements), str(wheelhouse), str(tmp_path))
    message = str(failed.value)
    assert "python.requirements: pip failed with exit code" in message
    assert "--no-index --find-links " + str(wheelhouse) in message
    assert "not-in-the-wheelhouse" in message
    assert [n for n in os.listdir(tmp_path) if ".building-" in n] == []


def test_archives_are_extracted_once_and_linked_by_name(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "weights.txt").write_text("0.5\n")
    zipped = tmp_path / "model.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.write(tmp_path / "model" / "weights.txt", "weights.txt")
    tarred = tmp_path / "data.tar.gz"
    with tarfile.open(tarred, "w:gz") as t:
        t.add(tmp_path / "model", arcname="inner")
    workdir = tmp_path / "work"
    workdir.mkdir()
    cache = tmp_path / "cache"
    cache.mkdir()

    dependencies.link_archives([(str(zipped), "m"), (str(tarred), "d")], str(workdir), str(cache))

    assert (workdir / "m" / "weights.txt").read_text() == "0.5\n"
    assert (workdir / "d" / "inner" / "weights.txt").read_text() == "0.5\n"
    assert dependencies.archive_path("m") == os.path.realpath(workdir / "m")
    assert dependencies.extract_archive(str(zipped), str(cache)) == dependencies.archive_path("m")
    with pytest.raises(KeyError, match="no archive named 'nope'"):
        dependencies.archive_path("nope")


def test_an_archive_that_is_no_archive_is_named(tmp_path):
    bogus = tmp_path / "notes.zip"
    bogus.write_text("not a zip")
    with pytest.raises(dependencies.DependencyError, match="cannot extract .*notes.zip"):
        dependencies.extract_archive(str(bogus), str(tmp_path))


def test_cache_root_belongs_to_this_user(tmp_path, monkeypatch):
    monkeypatch.setenv(dependencies.CACHE_ENV, str(tmp_path / "c"))
    assert dependencies.cache_root() == str(tmp_path / "c")
    assert os.stat(tmp_path / "c").st_uid == os.getuid()
