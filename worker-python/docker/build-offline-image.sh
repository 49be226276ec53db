#!/usr/bin/env bash
# Builds the worker image on a machine that reaches Debian's package mirror but no image registry
# (the Dockerfile next to this directory needs a registry for its python base image).
#
#   build-offline-image.sh WORKER_WHEEL
#
# WORKER_WHEEL is the worker's wheel, worker-python/target/fnharness_worker-VERSION-py3-none-any.whl
# after `mvn package`. Prints the image tag on the last line of stdout.
#
# Two layers, each tagged by a hash of what went into it, so a rebuild happens only when that
# changes and an unchanged image is reused between runs:
#   fnharness-worker-base:<hash>  a Debian rootfs from debootstrap with python3, python3-grpcio,
#                                 python3-protobuf and python3-pip (for python.requirements),
#                                 brought in with `docker import`;
#   fnharness-worker:<hash>       that plus the wheel, installed by pip (its requirements are the
#                                 Debian packages above), with the worker as entry point.
set -euo pipefail

wheel=${1:?usage: build-offline-image.sh WORKER_WHEEL}
[[ -f "$wheel" && "$(basename "$wheel")" == fnharness_worker-*-py3-none-any.whl ]] || {
  echo "build-offline-image: $wheel is not a worker wheel (worker-python/target/fnharness_worker-*.whl after mvn package)" >&2; exit 2; }

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

# The worker layer's hash covers the base and the wheel (which the build makes reproducibly:
# the same sources give the same bytes).
worker_hash=$( { echo "$base_tag"; sha256sum < "$wheel"; } | sha256sum | cut -c1-16)
tag="fnharness-worker:$worker_hash"
if ! docker image inspect "$tag" >/dev/null 2>&1; then
  context=$(mktemp -d "${TMPDIR:-/tmp}/fnharness-image.XXXXXX")
  trap 'rm -rf "$context"' EXIT
  name=$(basename "$wheel")
  cp "$wheel" "$context/$name"
  # --no-deps: grpcio and protobuf are Debian's, in the base; Debian's pip guards its system
  # Python (PEP 668), which an image of its own may overrule.
  cat > "$context/Dockerfile" <<DOCKERFILE
FROM $base_tag
COPY $name /tmp/$name
RUN python3 -m pip install --no-deps --no-index --no-cache-dir --break-system-packages /tmp/$name \\
    && rm /tmp/$name && python3 -m pip check
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /tmp
ENTRYPOINT ["fnharness-worker"]
DOCKERFILE
  # The RUN step needs no network (the wheel is in the context).
  DOCKER_BUILDKIT=0 docker build -q --network=none -t "$tag" "$context" >&2
  rm -rf "$context"
  trap - EXIT
fi
echo "$tag"
