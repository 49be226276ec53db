#!/usr/bin/env bash
# The README's external-mode quickstart, as a user would run it after `mvn verify`: the worker's
# wheel installed into a fresh virtual environment, the pool started from its console script, the
# quickstart project run against it, the pool stopped. The quickstart resolves fnharness from the
# repository the build installed it into (examples/target/quickstart-repo, as QuickstartProjectIT
# does) and everything else from the user's repository.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

wheels=(worker-python/target/fnharness_worker-*-py3-none-any.whl)
[[ -f "${wheels[0]}" && ${#wheels[@]} -eq 1 ]] || {
  echo "external-quickstart: expected one wheel in worker-python/target (mvn package)" >&2; exit 1; }
quickstart_repo=$root/examples/target/quickstart-repo
[[ -d "$quickstart_repo/dev/fnharness" ]] || {
  echo "external-quickstart: no $quickstart_repo (mvn verify installs fnharness there)" >&2; exit 1; }
user_repo=${FNHARNESS_USER_REPOSITORY:-$HOME/.m2/repository}

work=$(mktemp -d "${TMPDIR:-/tmp}/fnharness-external-quickstart.XXXXXX")
pool=
cleanup() {
  if [[ -n "$pool" ]] && kill -0 "$pool" 2>/dev/null; then kill -TERM "$pool"; wait "$pool" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "external-quickstart: python3 -m venv, pip install ${wheels[0]##*/}"
python3 -m venv "$work/venv"
# --retries 0: an index this machine cannot reach is skipped at once for the next one
"$work/venv/bin/python3" -m pip install -qq --retries 0 "$root/${wheels[0]}"

"$work/venv/bin/fnharness-worker-pool" --host 127.0.0.1 --port 0 >"$work/pool.out" 2>"$work/pool.err" &
pool=$!
for _ in $(seq 300); do
  grep -q "listening on" "$work/pool.out" 2>/dev/null && break
  kill -0 "$pool" 2>/dev/null || break
  sleep 0.1
done
address=$(sed -n 's/^fnharness worker pool listening on \([^ ]*\).*/\1/p' "$work/pool.out")
[[ -n "$address" ]] || {
  echo "external-quickstart: FAILED: the pool did not start:" >&2; cat "$work/pool.out" "$work/pool.err" >&2; exit 1; }
echo "external-quickstart: pool at $address (pid $pool)"

cp -r examples/quickstart "$work/project"
rm -rf "$work/project/target"
repository="<id>user-repository</id><url>file://$user_repo</url><releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>"
cat >"$work/settings.xml" <<SETTINGS
<settings><profiles><profile><id>user-repository</id>
<repositories><repository>$repository</repository></repositories>
<pluginRepositories><pluginRepository>$repository</pluginRepository></pluginRepositories>
</profile></profiles><activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles></settings>
SETTINGS
if ! (cd "$work/project" && mvn -B -q -s "$work/settings.xml" -Dmaven.repo.local="$quickstart_repo" \
      compile exec:exec \
      -Djob.args="python.worker.mode=external python.worker.external.address=$address") >"$work/job.out" 2>&1; then
  echo "external-quickstart: FAILED: the quickstart job failed:" >&2; cat "$work/job.out" >&2; exit 1
fi

rows=$(grep -oE '\+I\[[0-9]+, [0-9]+\]$' "$work/job.out" | sort | tr '\n' ' ')
if [[ "$rows" != "+I[1, 2] +I[2, 3] +I[3, 4] +I[4, 5] +I[5, 6] " ]]; then
  echo "external-quickstart: FAILED: unexpected rows '$rows':" >&2; cat "$work/job.out" >&2; exit 1
fi
# the pool, not the TaskManager, started the workers
if ! grep -q "started worker udfs.add_one-" "$work/pool.err"; then
  echo "external-quickstart: FAILED: the pool's stderr shows no worker:" >&2; cat "$work/pool.err" >&2; exit 1
fi

kill -TERM "$pool"
if ! wait "$pool"; then
  echo "external-quickstart: FAILED: the pool did not stop cleanly on SIGTERM" >&2; cat "$work/pool.err" >&2; exit 1
fi
pool=
echo "external-quickstart: the quickstart ran against the pool (5 rows), and the pool stopped"
