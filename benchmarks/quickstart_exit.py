"""A local run of the quickstart (examples/quickstart), from the JVM's start to its exit.

    flock /tmp/fnharness-bench.lock python3 benchmarks/quickstart_exit.py [--runs N] [--repo DIR ...]

Each --repo is a Maven repository holding fnharness (default examples/target/quickstart-repo,
which `mvn -pl examples -am verify` fills); several are run in turn, so that builds compare in
the same run. For each run it prints the wall time from `java` to its exit, and how much of it
came after the job's last output row (the JVM's shutdown: the MiniCluster, the file cache).
Needs `mvn` and the quickstart's dependencies in the user's repository.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAIN = "com.example.quickstart.QuickstartJob"


def settings(work):
    user_repo = os.path.join(os.path.expanduser("~"), ".m2", "repository")
    repository = (f"<id>user-repository</id><url>file://{user_repo}</url>"
                  "<releases><checksumPolicy>ignore</checksumPolicy></releases>"
                  "<snapshots><enabled>false</enabled></snapshots>")
    path = os.path.join(work, "settings.xml")
    with open(path, "w") as f:
        f.write("<settings><profiles><profile><id>user-repository</id>"
                f"<repositories><repository>{repository}</repository></repositories>"
                f"<pluginRepositories><pluginRepository>{repository}</pluginRepository></pluginRepositories>"
                "</profile></profiles><activeProfiles><activeProfile>user-repository</activeProfile>"
                "</activeProfiles></settings>")
    return path


def prepare(repo, work, index):
    """A compiled copy of the quickstart and its classpath, resolved from ``repo``."""
    project = os.path.join(work, f"project-{index}")
    shutil.copytree(os.path.join(ROOT, "examples", "quickstart"), project,
                    ignore=shutil.ignore_patterns("target"))
    classpath_file = os.path.join(project, "classpath.txt")
    subprocess.run(["mvn", "-B", "-q", "-s", settings(work), f"-Dmaven.repo.local={os.path.abspath(repo)}",
                    "compile", "dependency:build-classpath", "-Dmdep.includeScope=test",
                    f"-Dmdep.outputFile={classpath_file}"], cwd=project, check=True)
    with open(classpath_file) as f:
        classpath = os.path.join(project, "target", "classes") + os.pathsep + f.read().strip()
    return project, classpath


def run_once(project, classpath, python):
    start = time.monotonic()
    process = subprocess.Popen(["java", "-cp", classpath, MAIN, f"python.executable={python}"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    last_row = None
    rows = 0
    for line in process.stdout:
        if line.rstrip().endswith("]") and "+I[" in line:
            rows += 1
            last_row = time.monotonic()
    code = process.wait()
    end = time.monotonic()
    if code != 0 or rows != 5:
        sys.exit(f"quickstart run failed (exit {code}, {rows} rows)")
    return end - start, end - last_row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repo", action="append")
    parser.add_argument("--python", default=os.environ.get("FNHARNESS_PYTHON", "python3"))
    args = parser.parse_args()
    repos = args.repo or [os.path.join(ROOT, "examples", "target", "quickstart-repo")]
    work = tempfile.mkdtemp(prefix="fnharness-quickstart-exit-")
    try:
        prepared = [prepare(repo, work, i) for i, repo in enumerate(repos)]
        times = {repo: [] for repo in repos}
        for run in range(args.runs):
            for repo, (project, classpath) in zip(repos, prepared):
                wall, tail = run_once(project, classpath, args.python)
                times[repo].append((wall, tail))
                print(f"run {run + 1} {repo}: {wall:.2f} s start to exit, {tail:.2f} s of it after the last row",
                      flush=True)
        for repo in repos:
            walls = [w for w, _ in times[repo]]
            tails = [t for _, t in times[repo]]
            print(f"{repo}: median {statistics.median(walls):.2f} s start to exit "
                  f"(min {min(walls):.2f}, max {max(walls):.2f}), "
                  f"median {statistics.median(tails):.2f} s after the last row")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
