"""python.requirements and python.archives: installed or extracted once per content, then reused.

Both land under a cache root (env FNHARNESS_CACHE_DIR, else ``<tmp>/fnharness-cache-<uid>``) in a
directory named by a hash of what went into it, so every later worker with the same content (the
other subtasks, a restarted job) finds it ready. Work happens in a private temporary directory
that is renamed into place, so concurrent workers never see half a result.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

CACHE_ENV = "FNHARNESS_CACHE_DIR"
OUTPUT_TAIL_CHARS = 4000

_archives = {}  # name -> extracted directory, for archive_path()


class DependencyError(Exception):
    pass


def archive_path(name):
    """The directory an archive of ``python.archives`` was extracted to (also ``./<name>``)."""
    try:
        return _archives[name]
    except KeyError:
        raise KeyError(f"no archive named {name!r} in python.archives; known: {sorted(_archives)}") from None


def cache_root():
    root = os.environ.get(CACHE_ENV) or os.path.join(tempfile.gettempdir(), f"fnharness-cache-{os.getuid()}")
    os.makedirs(root, mode=0o700, exist_ok=True)
    # A shared /tmp: someone else's directory here could hold planted packages.
    if os.stat(root).st_uid != os.getuid():
        raise DependencyError(f"the cache directory {root} belongs to another user; set {CACHE_ENV} to a directory of yours")
    return root


def _hash_file(digest, path):
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)


def _hash_tree(digest, root):
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            digest.update(os.path.relpath(path, root).encode() + b"\0")
            _hash_file(digest, path)
            digest.update(b"\0")


def _publish(build, target_name, root):
    """Runs ``build(staging_dir)`` and renames the result to ``root/target_name``, unless present."""
    target = os.path.join(root, target_name)
    if os.path.isdir(target):
        return target
    staging = tempfile.mkdtemp(dir=root, prefix=target_name + ".building-")
    try:
        build(staging)
        try:
            os.rename(staging, target)
            staging = None
        except OSError:
            if not os.path.isdir(target):  # not a lost race: a real failure
                raise
    finally:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def requirements_key(requirements_file, find_links):
    """Hash of the requirements, every file offered to pip, and the interpreter's ABI."""
    digest = hashlib.sha256(b"fnharness-requirements-v1\0")
    digest.update(f"{sys.version}\0{sysconfig.get_platform()}\0".encode())
    _hash_file(digest, requirements_file)
    digest.update(b"\0")
    _hash_tree(digest, find_links)
    return digest.hexdigest()[:20]


def install_requirements(requirements_file, find_links, root=None):
    """``pip install --no-index --find-links`` into a cached directory; returns it (for sys.path)."""
    if not os.path.isfile(requirements_file):
        raise DependencyError(f"python.requirements: {requirements_file} is not a file")
    if not os.path.isdir(find_links):
        raise DependencyError(f"python.requirements: {find_links} is not a directory")
    root = root or cache_root()

    def pip_install(target):
        command = [sys.executable, "-m", "pip", "install", "--no-index", "--find-links", find_links,
                   "-r", requirements_file, "--target", target, "--disable-pip-version-check",
                   "--no-warn-script-location", "--quiet"]
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            output = done.stdout[-OUTPUT_TAIL_CHARS:]
            hint = ""
            if "No module named pip" in output:
                hint = (f"\nThe interpreter {sys.executable} has no pip: install it "
                        "(e.g. apt-get install python3-pip) or drop python.requirements.")
            raise DependencyError(
                f"python.requirements: pip failed with exit code {done.returncode}.\n"
                f"Command: {' '.join(command)}\n{output}{hint}")

    return _publish(pip_install, "requirements-" + requirements_key(requirements_file, find_links), root)


def _unpack(archive, into):
    try:
        shutil.unpack_archive(archive, into, filter="data")  # refuses links and paths that escape
    except TypeError:  # Python before 3.11.4 / 3.12: no filter argument
        shutil.unpack_archive(archive, into)


def extract_archive(archive, root=None):
    """Extracts a .zip / .tar / .tar.gz / .tgz / .tar.bz2 / .tar.xz once per content; returns the dir."""
    if not os.path.isfile(archive):
        raise DependencyError(f"python.archives: {archive} is not a file")
    root = root or cache_root()
    digest = hashlib.sha256(b"fnharness-archive-v1\0")
    _hash_file(digest, archive)

    def unpack(target):
        try:
            _unpack(archive, target)
        except (shutil.ReadError, ValueError) as e:
            raise DependencyError(f"python.archives: cannot extract {archive}: {e}") from None

    return _publish(unpack, "archive-" + digest.hexdigest()[:20], root)


def link_archives(archives, workdir, root=None):
    """Extracts each (path, name) and links it as ``workdir/name``; archive_path(name) finds it."""
    for path, name in archives:
        if not name or os.sep in name or name in (".", ".."):
            raise DependencyError(f"python.archives: {name!r} is not a usable name for {path}")
        extracted = extract_archive(path, root)
        os.symlink(extracted, os.path.join(workdir, name))
        _archives[name] = extracted
