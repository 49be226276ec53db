#!/usr/bin/env bash
# Worker start-up time, spawn -> first register answered, per mode.
# Usage: benchmarks/startup.sh [runs] [modes...]   (default: 20 process docker external)
# docker needs an engine (or dockerd to start) and builds or reuses the worker image.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
shift || true
modes=${*:-process docker external}
mvn -B -q verify -pl harness-java -am -Dtest=StartupBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.runs="$runs" -Dbench.modes="$modes"
