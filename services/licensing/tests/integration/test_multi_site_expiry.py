"""Against the real database: the expiry job ends multi-site filings after their last day, given the day."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus
from devstack.stack import Stack
from licensing.adapters.tables import messaging, multi_site_filings, registration_history
from licensing.domain.register import Change
from licensing.service import register
from licensing.service.expiry import end_expired_multi_site_filings
from licensing.service.licences import ensure_signing_key
from licensing.service.office import LicenceOffice
from licensing.settings import Settings
from regsys_runtime.db import UnitOfWork, create_engine

pytestmark = pytest.mark.integration

ENDS_ON = date(2031, 6, 30)  # far from today, so the job under test touches only this test's filing


@pytest.fixture
async def uow_factory(prepared_stack: Stack, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator:
    for name, value in prepared_stack.env().items():
        monkeypatch.setenv(name, value)
    engine = create_engine(prepared_stack.database_url("licensing"), pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    yield lambda: UnitOfWork(sessions, producer="licensing", messaging=messaging)
    await engine.dispose()


@pytest.fixture
async def office(uow_factory) -> LicenceOffice:
    office = LicenceOffice.of(Settings())  # type: ignore[call-arg]
    await ensure_signing_key(uow=uow_factory(), office=office, now=datetime.now(UTC))
    return office


async def approve(uow_factory, account_id: uuid.UUID, change: Change, today: date, office: LicenceOffice) -> None:
    async with uow_factory() as uow:
        await register.apply_change(
            uow=uow,
            office=office,
            account_id=account_id,
            change=change,
            today=today,
            now=datetime.now(UTC),
            physician=("张三", "110105********1234"),
        )
        await uow.commit()


async def test_a_filing_ends_the_day_after_its_last_day(uow_factory, office):
    account_id, main, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    category = PracticeCategory.CLINICAL
    number = f"9{uuid.uuid4().int % 10**14:014d}"
    await approve(
        uow_factory,
        account_id,
        Change(ApplicationType.INITIAL_REGISTRATION, main, category, certificate_number=number),
        date(2031, 1, 1),
        office,
    )
    site = Change(
        ApplicationType.MULTI_SITE_FILING, other, category, target_institution_id=other,
        starts_on=date(2031, 1, 1), ends_on=ENDS_ON, filing_id=uuid.uuid4(),
    )  # fmt: skip
    await approve(uow_factory, account_id, site, date(2031, 1, 1), office)

    assert account_id not in await end_expired_multi_site_filings(uow_factory=uow_factory, office=office, today=ENDS_ON)
    async with uow_factory() as uow:
        assert len((await register.load(uow, account_id)).multi_sites) == 1

    assert account_id in await end_expired_multi_site_filings(
        uow_factory=uow_factory, office=office, today=date(2031, 7, 1)
    )
    async with uow_factory() as uow:
        after = await register.load(uow, account_id)
        filing = (
            (await uow.session.execute(select(multi_site_filings).where(multi_site_filings.c.id == site.filing_id)))
            .mappings()
            .one()
        )
        last = (
            (
                await uow.session.execute(
                    select(registration_history)
                    .where(registration_history.c.account_id == account_id)
                    .order_by(registration_history.c.seq.desc())
                )
            )
            .mappings()
            .first()
        )
        published = (
            (
                await uow.session.execute(
                    select(messaging.outbox.c.envelope).where(
                        messaging.outbox.c.key == str(account_id),
                        messaging.outbox.c.event_type == "licensing.registration_changed",
                    )
                )
            )
            .scalars()
            .all()
        )
    assert after.multi_sites == ()
    assert after.status is RegistrationStatus.VALID
    assert filing.status == "ended"
    assert last.cause == "multi_site_expired"
    assert published[-1]["payload"]["multi_sites"] == []
    assert published[-1]["payload"]["reason"] == "多点执业备案有效期届满"
    # run again: nothing more to end
    assert account_id not in await end_expired_multi_site_filings(
        uow_factory=uow_factory, office=office, today=date(2031, 7, 2)
    )


async def test_one_failing_physician_does_not_stop_the_round(uow_factory, office, monkeypatch):
    """Issue 12 item 7: the round logs and counts a physician whose change fails, and ends the others' filings."""
    ends_on, category = date(2032, 6, 30), PracticeCategory.CLINICAL
    failing, ending = uuid.uuid4(), uuid.uuid4()
    for account_id in (failing, ending):
        main, other = uuid.uuid4(), uuid.uuid4()
        number = f"9{uuid.uuid4().int % 10**14:014d}"
        initial = Change(ApplicationType.INITIAL_REGISTRATION, main, category, certificate_number=number)
        await approve(uow_factory, account_id, initial, date(2032, 1, 1), office)
        site = Change(
            ApplicationType.MULTI_SITE_FILING, other, category, target_institution_id=other,
            starts_on=date(2032, 1, 1), ends_on=ends_on, filing_id=uuid.uuid4(),
        )  # fmt: skip
        await approve(uow_factory, account_id, site, date(2032, 1, 1), office)
    real_change = register.apply_change

    async def change_failing_for_one(**kwargs):
        if kwargs["account_id"] == failing:
            raise RuntimeError("this physician's row is broken")
        return await real_change(**kwargs)

    monkeypatch.setattr(register, "apply_change", change_failing_for_one)
    ended = await end_expired_multi_site_filings(uow_factory=uow_factory, office=office, today=date(2032, 7, 1))
    assert ending in ended
    assert failing not in ended
    async with uow_factory() as uow:
        assert (await register.load(uow, ending)).multi_sites == ()
        assert len((await register.load(uow, failing)).multi_sites) == 1
