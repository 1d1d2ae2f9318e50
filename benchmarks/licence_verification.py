"""Licence verification throughput against a bare FastAPI JSON endpoint, in one run on one machine.

Starts the infrastructure (as `make dev` does), migrates a fresh database, issues one licence with the
service's own code, then runs one licensing service process and one bare FastAPI process (uvicorn, one
worker each) in turn, drives each with the same concurrent keep-alive HTTP load for a fixed duration from a
separate process, and prints requests per second of both and their ratio.

    uv run python benchmarks/licence_verification.py [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker

from contracts.applications.v1 import ApplicationDetails, ApplicationSubmitted
from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus
from contracts.institutions.v1 import InstitutionRecorded
from contracts.licensing.v1 import RegistrationChanged
from contracts.topics import SERVICES
from devstack.infra import start_infra
from devstack.processes import ManagedProcess, free_port, wait_until
from devstack.stack import Stack, generate_secrets
from regsys_runtime.db import UnitOfWork, create_engine

HERE = Path(__file__).resolve().parent
PATH = "/licences/verifications"


async def issue_licence(stack: Stack) -> str:
    """One physician on the register and their claimed licence, made with licensing's own use cases."""
    os.environ.update(stack.env())
    from licensing.adapters.tables import messaging
    from licensing.service import licences, tasks
    from licensing.service.office import LicenceOffice
    from licensing.settings import Settings

    settings = Settings()
    engine = create_engine(settings.database_url.get_secret_value(), pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions, producer="licensing", messaging=messaging)

    office = LicenceOffice.of(settings)
    account, institution, now = uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    await licences.ensure_signing_key(uow=uow(), office=office, now=now)
    async with uow() as u:
        await tasks.remember_institution(
            uow=u,
            event=InstitutionRecorded(
                institution_id=institution,
                name="第一人民医院",
                credit_code="x",
                licence_number="x",
                region_code="110105",
            ),
            recorded_at=now,
        )
        await tasks.remember_application(
            uow=u,
            event=ApplicationSubmitted(
                application_id=uuid.uuid4(),
                account_id=account,
                application_type=ApplicationType.INITIAL_REGISTRATION,
                institution_id=institution,
                category=PracticeCategory.CLINICAL,
                physician_name="欧阳·明",
                id_number_masked="110105********123X",
                details=ApplicationDetails(practice_scope="内科专业"),
                submitted_at=now,
            ),
        )
        change = RegistrationChanged(
            account_id=account,
            certificate_number="110105202600001",
            status=RegistrationStatus.VALID,
            category=PracticeCategory.CLINICAL,
            practice_scope="内科专业",
            main_institution_id=institution,
            changed_at=now,
        )
        await licences.follow_register(uow=u, office=office, change=change)
        await u.commit()
    row, _ = await licences.claim(uow=uow(), office=office, account_id=account, now=now)
    await engine.dispose()
    return str(row.document)


async def _connection(port: int, body: bytes, stop_at: float, expect: bytes, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    try:
        while time.monotonic() < stop_at:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            length = next(int(line.split(b":", 1)[1]) for line in lines if line.lower().startswith(b"content-length"))
            payload = await reader.readexactly(length)
            ok = head.startswith(b"HTTP/1.1 200") and expect in payload
            counts[0 if ok else 1] += 1
    finally:
        writer.close()


async def _load(port: int, body: bytes, seconds: float, connections: int, expect: bytes) -> tuple[int, int, float]:
    counts = [0, 0]
    started = time.monotonic()
    await asyncio.gather(*(_connection(port, body, started + seconds, expect, counts) for _ in range(connections)))
    return counts[0], counts[1], time.monotonic() - started


def _load_process(port: int, body: bytes, seconds: float, connections: int, expect: bytes, out: object) -> None:
    out.put(asyncio.run(_load(port, body, seconds, connections, expect)))  # type: ignore[attr-defined]


def drive(port: int, body: bytes, *, seconds: float, connections: int, expect: bytes) -> tuple[float, int]:
    """Requests per second over `seconds` from a separate process (after a short warm-up), and the failures."""
    queue: multiprocessing.Queue[tuple[int, int, float]] = multiprocessing.Queue()
    for duration in (min(2.0, seconds), seconds):  # warm-up, then the measured run
        worker = multiprocessing.Process(target=_load_process, args=(port, body, duration, connections, expect, queue))
        worker.start()
        ok, failed, elapsed = queue.get()
        worker.join()
    return ok / elapsed, failed


def serve(name: str, argv: list[str], env: dict[str, str], port: int, workdir: Path) -> ManagedProcess:
    process = ManagedProcess(name, argv, env=env, log_path=workdir / f"{name}.log")

    def ready() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(ready, timeout=90, what=f"{name} to answer", process=process)
    return process


async def drop_database(admin_url: str, stack: Stack) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{stack.database}" WITH (FORCE)')
        for service in SERVICES:
            await conn.execute(f'DROP ROLE IF EXISTS "{stack.role(service)}"')
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured duration per target")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="regsys-bench-"))
    infra = start_infra(workdir)
    stack = Stack.with_free_ports(
        infra=infra, database=f"regsys_bench_{uuid.uuid4().hex[:8]}", workdir=workdir, secrets=generate_secrets()
    )
    try:
        stack.prepare()
        document = asyncio.run(issue_licence(stack))
        body = json.dumps({"licence": document}).encode()
        env = {**stack.env(), "LOG_LEVEL": "WARNING"}
        licensing_port, bare_port = stack.ports["licensing"], free_port()
        results = {}
        licensing = serve("licensing", [sys.executable, "-m", "licensing", "serve"], env, licensing_port, workdir)
        try:
            results["licence verification"] = drive(
                licensing_port, body, seconds=args.seconds, connections=args.connections, expect=b'"result":"valid"'
            )
        finally:
            licensing.stop()
        bare_argv = [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "bare_app:app", "--port", str(bare_port)]
        bare_argv += ["--workers", "1", "--no-access-log", "--log-level", "warning"]
        bare = serve("bare", bare_argv, env, bare_port, workdir)
        try:
            results["bare FastAPI JSON endpoint"] = drive(
                bare_port, body, seconds=args.seconds, connections=args.connections, expect=b'"result":"valid"'
            )
        finally:
            bare.stop()
    finally:
        stack.stop()
        asyncio.run(drop_database(infra.postgres_admin_url, stack))
        infra.stop()
    print(f"licence of {len(document)} characters; {args.connections} connections; {args.seconds:.0f} s per target")
    for name, (rate, failed) in results.items():
        print(f"{name:>28}: {rate:9.1f} requests/s  ({failed} failed)")
    ratio = results["licence verification"][0] / results["bare FastAPI JSON endpoint"][0]
    print(f"{'ratio':>28}: {ratio:9.3f}  (licence verification / bare endpoint)")


if __name__ == "__main__":
    main()
