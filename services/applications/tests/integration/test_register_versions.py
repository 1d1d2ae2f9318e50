"""The register read model moves forward only: a snapshot older than the one held, arriving last, changes nothing."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from applications.adapters.tables import registrations
from applications.service.read_models import remember_registration
from contracts.enums import PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import RegistrationChanged

pytestmark = pytest.mark.integration


def snapshot(account_id: uuid.UUID, *, version: int, status: RegistrationStatus) -> RegistrationChanged:
    return RegistrationChanged(
        account_id=account_id,
        certificate_number="110105202600042",
        status=status,
        category=PracticeCategory.CLINICAL,
        main_institution_id=uuid.uuid4(),
        changed_at=datetime.now(UTC),
        register_version=version,
    )


async def held(uow_factory, account_id: uuid.UUID) -> tuple[str, int]:
    async with uow_factory() as uow:
        row = (await uow.session.execute(select(registrations).where(registrations.c.account_id == account_id))).one()
    return row.status, row.register_version


async def remember(uow_factory, event: RegistrationChanged) -> None:
    async with uow_factory() as uow:
        await remember_registration(uow=uow, event=event)
        await uow.commit()


async def test_an_older_snapshot_arriving_last_changes_nothing(uow_factory):
    account = uuid.uuid4()
    await remember(uow_factory, snapshot(account, version=1, status=RegistrationStatus.VALID))
    await remember(uow_factory, snapshot(account, version=3, status=RegistrationStatus.DEREGISTERED))
    await remember(uow_factory, snapshot(account, version=2, status=RegistrationStatus.FILED))  # late and older
    assert await held(uow_factory, account) == ("deregistered", 3)


async def test_snapshots_from_before_versions_still_replace(uow_factory):
    account = uuid.uuid4()
    await remember(uow_factory, snapshot(account, version=0, status=RegistrationStatus.VALID))
    await remember(uow_factory, snapshot(account, version=0, status=RegistrationStatus.FILED))
    assert await held(uow_factory, account) == ("filed", 0)
