"""Retention: a final delivery's personal data (recipient, text, template facts) is erased after the window,
by a job that replicas may run at once; nothing else is touched."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from contracts import Envelope
from contracts.enums import Role
from contracts.identity.v1 import AccountActivated, AccountRegistered
from notifications.adapters.tables import accounts, deliveries, inbox_messages
from notifications.bootstrap import retention_job, start_retention
from notifications.domain.deliveries import ERASED

from .conftest import handlers_in, make_dependencies

pytestmark = pytest.mark.integration

HANDLERS = handlers_in("zh")
WINDOW = timedelta(days=30)
NOW = datetime.now(UTC) + timedelta(days=400)  # the job's "now": every row below is dated against it


async def apply(unit_of_work, event) -> Envelope:
    envelope = Envelope.wrap(event, producer="identity", subject_id=str(uuid.uuid4()), correlation_id="t")
    async with unit_of_work() as uow:
        await HANDLERS[type(event)](uow, event, envelope)
        await uow.commit()
    return envelope


async def rows(unit_of_work) -> dict[str, object]:
    async with unit_of_work() as uow:
        found = (await uow.session.execute(select(deliveries))).all()
    return {f"{r.channel}:{r.status}:{r.finished_at}": r for r in found}


async def people_told(unit_of_work, n: int) -> list[uuid.UUID]:
    """n physicians, each registered (an e-mail) and activated (an SMS and an e-mail)."""
    accounts_ = []
    for i in range(n):
        account = uuid.uuid4()
        await apply(
            unit_of_work,
            AccountRegistered(
                account_id=account, role=Role.PHYSICIAN, login_name=f"k{i}{account.hex[:6]}", real_name="张伟",
                phone=f"139{i:08d}", email=f"k{i}@example.cn",
            ),
        )  # fmt: skip
        await apply(unit_of_work, AccountActivated(account_id=account, method="automatic"))
        accounts_.append(account)
    return accounts_


async def settle(unit_of_work, *, status: str, finished_at: datetime | None, where) -> None:
    async with unit_of_work() as uow:
        await uow.session.execute(update(deliveries).where(where).values(status=status, finished_at=finished_at))
        await uow.commit()


def job(unit_of_work, **options):
    deps = make_dependencies(unit_of_work=unit_of_work)
    return retention_job(deps, **options)


async def test_the_job_erases_personal_data_of_final_deliveries_past_the_window_and_nothing_else(unit_of_work):
    [old, recent, pending] = await people_told(unit_of_work, 3)
    past = NOW - WINDOW - timedelta(seconds=1)
    await settle(unit_of_work, status="sent", finished_at=past, where=deliveries.c.account_id == old)
    await settle(
        unit_of_work, status="sent", finished_at=NOW - WINDOW + timedelta(seconds=1),
        where=deliveries.c.account_id == recent,
    )  # fmt: skip
    await settle(unit_of_work, status="failed", finished_at=past, where=deliveries.c.channel == "sms")  # all 3
    await settle(unit_of_work, status="pending", finished_at=None, where=deliveries.c.account_id == pending)
    async with unit_of_work() as uow:
        before = {r.id: r for r in (await uow.session.execute(select(deliveries))).all()}
        inbox_before = (await uow.session.execute(select(inbox_messages))).all()
        accounts_before = (await uow.session.execute(select(accounts))).all()

    erased = await job(unit_of_work).erase_due(now=NOW)

    async with unit_of_work() as uow:
        after = {r.id: r for r in (await uow.session.execute(select(deliveries))).all()}
        assert (await uow.session.execute(select(inbox_messages))).all() == inbox_before
        assert (await uow.session.execute(select(accounts))).all() == accounts_before
    should = {
        i
        for i, r in before.items()
        if r.status != "pending" and r.finished_at is not None and r.finished_at < NOW - WINDOW
    }
    assert len(should) == 4  # the old physician's two e-mails and SMS, and the recent one's failed SMS
    assert erased == len(should)
    for delivery_id, row in after.items():
        was = before[delivery_id]
        if delivery_id in should:
            assert row.recipient == f"erased:{delivery_id}" and row.body == ERASED and row.sms_params is None
            assert row.erased_at == NOW
            kept = ("status", "channel", "template", "subject", "finished_at", "cause_event_id", "account_id")
            assert all(getattr(row, name) == getattr(was, name) for name in kept)
        else:
            assert row == was, f"{was.channel} {was.status} {was.finished_at} was touched"


async def test_a_second_round_erases_nothing_more(unit_of_work):
    await people_told(unit_of_work, 1)
    await settle(unit_of_work, status="sent", finished_at=NOW - WINDOW * 2, where=deliveries.c.id.is_not(None))
    assert await job(unit_of_work).erase_due(now=NOW) == 3
    assert await job(unit_of_work).erase_due(now=NOW + timedelta(days=1)) == 0


async def test_replicas_running_the_job_at_once_erase_each_row_once(unit_of_work):
    await people_told(unit_of_work, 8)
    await settle(unit_of_work, status="sent", finished_at=NOW - WINDOW * 2, where=deliveries.c.id.is_not(None))

    counts = await asyncio.gather(*(job(unit_of_work, batch_size=3).erase_due(now=NOW) for _ in range(3)))

    assert sum(counts) == 24
    async with unit_of_work() as uow:
        left = (await uow.session.execute(select(deliveries).where(deliveries.c.erased_at.is_(None)))).all()
    assert left == []


async def test_the_job_is_started_through_the_wiring_as_a_supervised_task(unit_of_work):
    spawned: list[tuple[object, str]] = []
    runtime = SimpleNamespace(spawn=lambda work, name: spawned.append((work, name)))

    await start_retention(runtime, make_dependencies(unit_of_work=unit_of_work))  # type: ignore[arg-type]

    [(work, name)] = spawned
    assert name == "delivery retention"
    running = asyncio.ensure_future(work())  # a zero-argument callable giving the job's coroutine
    await asyncio.sleep(0.2)
    assert not running.done(), "the job keeps running until the service stops"
    running.cancel()
