#!/usr/bin/env bash
# Builds the worker image on a machine that reaches Debian's package mirror but no image registry
# (the Dockerfile next to this directory needs a registry for its python base image).
#
#   build-offline-image.sh WORKER_PACKAGE_DIR
#
# WORKER_PACKAGE_DIR is the staged worker package (worker-python/target/worker-package after
# `mvn package`, or the directory harness-java unpacks it to): fnharness_worker/ with its
# descriptor set. Prints the image tag on the last line of stdout.
#
# Two layers, each tagged by a hash of what went into it, so a rebuild happens only when that
# changes and an unchanged image is reused between runs:
#   fnharness-worker-base:<hash>  a Debian rootfs from debootstrap with python3, python3-grpcio,
#                                 python3-protobuf and python3-pip (for python.requirements),
#                                 brought in with `docker import`;
#   fnharness-worker:<hash>       that plus the worker package, with the worker as entry point.
set -euo pipefail

package_dir=${1:?usage: build-offline-image.sh WORKER_PACKAGE_DIR}
[[ -f "$package_dir/fnharness_worker/__main__.py" ]] || {
  echo "build-offline-image: $package_dir holds no fnharness_worker package" >&2; exit 2; }
[[ -f "$package_dir/fnharness_worker/fnharness-protos.desc" ]] || {
  echo "build-offline-image: $package_dir/fnharness_worker lacks fnharness-protos.desc (run mvn package first)" >&2; exit 2; }

suite=${FNHARNESS_DEBIAN_SUITE:-bookworm}
packages=python3,python3-grpcio,python3-protobuf,python3-pip

# The mirror apt uses here, so the build goes where this machine is allowed to go.
default_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
  [[ -n "$uri" ]] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
mirror=${FNHARNESS_DEBIAN_MIRROR:-$(default_mirror)}

command -v docker >/dev/null || { echo "build-offline-image: no docker client" >&2; exit 2; }

# The mirror is left out of the hash: any mirror gives the same suite.
base_tag="fnharness-worker-base:$(printf '%s\n' "$suite" "$packages" "v1" | sha256sum | cut -c1-16)"
if ! docker image inspect "$base_tag" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || {
    echo "build-offline-image: debootstrap is missing (apt-get install debootstrap)" >&2; exit 2; }
  rootfs=$(mktemp -d "${TMPDIR:-/tmp}/fnharness-rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  echo "build-offline-image: debootstrap $suite from $mirror into $rootfs" >&2
  debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >&2
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import - "$base_tag" >&2
  rm -rf "$rootfs"
  trap - EXIT
fi

# The worker layer's hash covers the base and every file of the package (names and contents).
worker_hash=$( { echo "$base_tag";
  (cd "$package_dir" && find . -type f -not -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z |
     xargs -0 sha256sum); } | sha256sum | cut -c1-16)
tag="fnharness-worker:$worker_hash"
if ! docker image inspect "$tag" >/dev/null 2>&1; then
  context=$(mktemp -d "${TMPDIR:-/tmp}/fnharness-image.XXXXXX")
  trap 'rm -rf "$context"' EXIT
  cp -r "$package_dir" "$context/worker-package"
  find "$context" -name __pycache__ -prune -exec rm -rf {} +
  cat > "$context/Dockerfile" <<DOCKERFILE
FROM $base_tag
COPY worker-package /opt/fnharness-worker
ENV PYTHONPATH=/opt/fnharness-worker PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /tmp
ENTRYPOINT ["python3", "-m", "fnharness_worker"]
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$context" >&2
  rm -rf "$context"
  trap - EXIT
fi
echo "$tag"
