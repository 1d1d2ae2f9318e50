"""What applications keeps of other services' data, from their events: accounts, institutions, the register."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from applications.adapters.tables import institutions, physicians, registrations
from applications.service.common import lock_account, one
from applications.service.lifecycle import close_stale
from contracts.enums import AccountStatus, PracticeCategory
from contracts.institutions.v1 import InstitutionRecorded
from contracts.licensing.v1 import RegistrationChanged
from regsys_runtime.db import UnitOfWork

# a qualification check never takes an account back from these
_PAST_THE_CHECK = {AccountStatus.SECURED, AccountStatus.ACTIVE, AccountStatus.DISABLED}


async def remember_physician(*, uow: UnitOfWork, account_id: UUID, **values: object) -> None:
    stmt = pg_insert(physicians).values(account_id=account_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[physicians.c.account_id], set_=values))


async def update_physician(*, uow: UnitOfWork, account_id: UUID, **values: object) -> None:
    await uow.session.execute(update(physicians).where(physicians.c.account_id == account_id).values(**values))


async def qualification_checked(
    *, uow: UnitOfWork, account_id: UUID, matched: bool, category: PracticeCategory | None
) -> None:
    row = await one(uow, physicians, physicians.c.account_id, account_id, for_update=True)
    if row is None:
        return
    values: dict[str, object] = {"category": category if matched else row.category}
    if AccountStatus(row.account_status) not in _PAST_THE_CHECK:
        values["account_status"] = AccountStatus.VERIFIED if matched else AccountStatus.UNVERIFIED
    await update_physician(uow=uow, account_id=account_id, **values)


async def remember_institution(*, uow: UnitOfWork, event: InstitutionRecorded) -> None:
    values = {"name": event.name, "region_code": event.region_code}
    stmt = pg_insert(institutions).values(id=event.institution_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[institutions.c.id], set_=values))


async def remember_registration(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    """Replace the register snapshot, then close the open applications the change made impossible."""
    await lock_account(uow, event.account_id)
    values = {
        "status": event.status,
        "certificate_number": event.certificate_number,
        "main_institution_id": event.main_institution_id,
        "filed_on": event.filed_on,
        "filing_institution_id": event.filing_institution_id,
        "multi_sites": [m.model_dump(mode="json") for m in event.multi_sites],
        "photo_sha256": event.photo_sha256,
    }
    stmt = pg_insert(registrations).values(account_id=event.account_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[registrations.c.account_id], set_=values))
    await close_stale(uow=uow, event=event)
