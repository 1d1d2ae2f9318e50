"""The pool without a ping per checkout: connections Postgres closed are replaced, reads cost one round trip."""

import asyncio
import uuid

import asyncpg
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import async_sessionmaker

from devstack.stack import Stack
from regsys_runtime.db import Reads, reading_engine

POOLED = 4


async def _backend_pids(scratch) -> set[int]:
    """Hold POOLED units of work open at once, so the pool has that many connections; their server pids."""
    pids: list[int] = []
    ready = asyncio.Event()

    async def hold() -> None:
        async with scratch.uow() as uow:
            pids.append(int((await uow.session.execute(text("SELECT pg_backend_pid()"))).scalar_one()))
            if len(pids) == POOLED:
                ready.set()
            await ready.wait()

    await asyncio.gather(*(hold() for _ in range(POOLED)))
    return set(pids)


async def _terminate(admin_url: str, database: str, pids: set[int]) -> None:
    """What a restart or an idle timeout does to pooled connections: the server ends them."""
    admin = await asyncpg.connect(admin_url.rsplit("/", 1)[0] + f"/{database}")
    try:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", list(pids))
        for _ in range(200):  # 10 s at most
            if not await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1::int[])", list(pids)):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the server still has the backends {pids}")
    finally:
        await admin.close()


async def test_work_after_postgres_ended_every_pooled_connection_succeeds(scratch, prepared_stack: Stack) -> None:
    killed = await _backend_pids(scratch)
    await _terminate(prepared_stack.infra.postgres_admin_url, prepared_stack.database, killed)

    async def write(note: str) -> int:
        async with scratch.uow() as uow:
            await uow.session.execute(insert(scratch.effects).values(event_id=uuid.uuid4(), note=note))
            pid = int((await uow.session.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            await uow.commit()
            return pid

    notes = [f"after the restart {n}" for n in range(POOLED)]
    pids = await asyncio.gather(*(write(note) for note in notes))

    assert not killed & set(pids)  # every unit of work ran on a new connection
    async with scratch.uow() as uow:
        written = (await uow.session.execute(select(scratch.effects.c.note))).scalars().all()
    assert sorted(written) == sorted(notes)


TRANSACTION_ID = text("SELECT pg_current_xact_id()")


async def test_each_read_is_its_own_transaction_and_a_unit_of_work_is_one(scratch) -> None:
    reads = Reads(async_sessionmaker(reading_engine(scratch.engine), expire_on_commit=False))
    async with reads:
        first, second = [(await reads.session.execute(TRANSACTION_ID)).scalar_one() for _ in range(2)]
    assert first != second  # no BEGIN before them: each statement committed on its own
    async with scratch.uow() as uow:
        first, second = [(await uow.session.execute(TRANSACTION_ID)).scalar_one() for _ in range(2)]
    assert first == second
    # the reading engine shares the pool: a unit of work after a read still runs in a transaction of its own
    async with scratch.uow() as uow:
        await uow.session.execute(insert(scratch.effects).values(event_id=uuid.uuid4(), note="rolled back"))
    async with reads:
        assert (await reads.session.execute(select(scratch.effects.c.note))).scalars().all() == []
