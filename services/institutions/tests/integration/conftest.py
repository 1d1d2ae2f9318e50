"""A migrated institutions database per test (cloned from a template), and units of work on it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from devstack.infra import Infra
from institutions.adapters.tables import messaging
from regsys_runtime.db import UnitOfWork, create_engine


def _run(admin_url: str, *statements: str) -> None:
    async def go() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(go())


def _database_url(admin_url: str, database: str) -> str:
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=database)
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def template_database(infra: Infra) -> Iterator[str]:
    """A database with the institutions schema migrated to head; tests get clones of it."""
    name = f"itpl_{uuid.uuid4().hex[:10]}"
    admin = infra.postgres_admin_url
    _run(admin, f'CREATE DATABASE "{name}"')
    _run(make_url(admin).set(database=name).render_as_string(hide_password=False), "CREATE SCHEMA institutions")
    env = {**os.environ, "INSTITUTIONS_DATABASE_URL": _database_url(admin, name)}
    result = subprocess.run(
        [sys.executable, "-m", "institutions", "migrate"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    yield name
    _run(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def engine(infra: Infra, template_database: str) -> AsyncIterator[AsyncEngine]:
    name = f"itest_{uuid.uuid4().hex[:10]}"
    admin = infra.postgres_admin_url
    await asyncio.to_thread(_run, admin, f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    engine = create_engine(_database_url(admin, name), pool_size=5)
    yield engine
    await engine.dispose()
    await asyncio.to_thread(_run, admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def unit_of_work(engine: AsyncEngine) -> Callable[[], UnitOfWork]:
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    return lambda: UnitOfWork(sessions, producer="institutions", messaging=messaging)


@pytest.fixture
def published(unit_of_work: Callable[[], UnitOfWork]) -> Callable[[], Any]:
    """The envelopes in the outbox, oldest first, as (event type, payload)."""

    async def read() -> list[tuple[str, dict[str, Any]]]:
        outbox = messaging.outbox
        async with unit_of_work() as uow:
            rows = (await uow.session.execute(select(outbox.c.envelope).order_by(outbox.c.created_at))).scalars()
            return [(e["event_type"], e["payload"]) for e in rows]

    return read
