"""What applications keeps of other services' data, from their events: accounts, institutions, the register."""

from __future__ import annotations

from uuid import UUID

from applications.adapters.institutions import put_institution
from applications.adapters.physicians import physician_by_id, put_physician, save_physician, set_account_status
from applications.adapters.registrations import lock_account, put_registration
from applications.domain.institutions import Institution
from applications.service.lifecycle import close_stale
from contracts.enums import AccountStatus, PracticeCategory
from contracts.institutions.v1 import InstitutionRecorded
from contracts.licensing.v1 import RegistrationChanged
from regsys_runtime.db import UnitOfWork


async def remember_physician(*, uow: UnitOfWork, account_id: UUID, real_name: str, id_number_masked: str) -> None:
    await put_physician(
        uow.session,
        account_id=account_id,
        real_name=real_name,
        id_number_masked=id_number_masked,
        account_status=AccountStatus.REGISTERED,
    )


async def account_status_changed(*, uow: UnitOfWork, account_id: UUID, status: AccountStatus) -> None:
    await set_account_status(uow.session, account_id=account_id, status=status)


async def qualification_checked(
    *, uow: UnitOfWork, account_id: UUID, matched: bool, category: PracticeCategory | None
) -> None:
    physician = await physician_by_id(uow.session, account_id=account_id, for_update=True)
    if physician is not None:
        checked = physician.qualification_checked(matched=matched, category=category)
        await save_physician(uow.session, physician=checked)


async def remember_institution(*, uow: UnitOfWork, event: InstitutionRecorded) -> None:
    institution = Institution(id=event.institution_id, name=event.name, region_code=event.region_code)
    await put_institution(uow.session, institution=institution)


async def remember_registration(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    """Replace the register snapshot, then close the open applications the change made impossible; an older
    snapshot than the one held changes nothing."""
    await lock_account(uow.session, account_id=event.account_id)
    if await put_registration(uow.session, snapshot=event):
        await close_stale(uow=uow, event=event)
