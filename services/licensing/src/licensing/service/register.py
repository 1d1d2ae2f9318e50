"""The practice register. `apply_change` is the only place a registration changes: every approved
application, an approved photo update and the end of a multi-site filing's period come through it, so
whatever must follow a change (the register snapshot event, its history, a licence) follows from here.
`take_over_imported` changes no registration, only who holds one imported from the previous system; what
follows it (the snapshot, the history, the licence) is what follows a change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.enums import ApplicationType
from contracts.licensing.v1 import RegistrationChanged
from licensing.adapters import register, register_claims
from licensing.domain.register import (
    MULTI_SITE_EXPIRED,
    MULTI_SITE_EXPIRED_ZH,
    Change,
    RegisterChange,
    Registration,
    apply,
)
from licensing.domain.register_import import REGISTER_CLAIMED
from licensing.service import licences
from licensing.service.office import LicenceOffice
from regsys_runtime.db import UnitOfWork


async def load(uow: UnitOfWork, account_id: UUID, *, for_update: bool = False) -> Registration | None:
    """The registration of an account (locked against other changes when `for_update`), or None."""
    return await register.load(uow.session, account_id=account_id, for_update=for_update)


async def apply_change(
    *,
    uow: UnitOfWork,
    account_id: UUID,
    change: RegisterChange,
    today: date,
    now: datetime,
    cause_application_id: UUID | None = None,
    physician: tuple[str, str] | None = None,
    office: LicenceOffice,
) -> Registration:
    """Change the register (RegisterRuleBroken if the change no longer applies: the register moved on).

    Stores the registration and its multi-site filings, adds a history entry and publishes the new snapshot,
    all in the caller's unit of work. `physician` (name, masked ID number) is kept for snapshots and rosters.
    """
    session = uow.session
    before = await load(uow, account_id, for_update=True)
    after = apply(before, change, today)
    cause = change.kind if isinstance(change, Change) else None
    ended = f"ended by {cause.value}" if cause else MULTI_SITE_EXPIRED_ZH
    version = await register.store(
        session,
        account_id=account_id,
        before=before,
        after=after,
        now=now,
        cause_application_id=cause_application_id,
        end_reason=ended,
    )
    if physician:
        await register.set_physician(session, account_id=account_id, name=physician[0], id_number_masked=physician[1])
    changed = await _announce(
        uow, account_id, after, version=version, now=now, cause=cause, cause_application_id=cause_application_id
    )
    await licences.follow_register(uow=uow, office=office, change=changed)  # the licence follows the register
    return after


def _snapshot_of(after: Registration) -> dict[str, Any]:
    return {
        "certificate_number": after.certificate_number,
        "status": after.status,
        "category": after.category,
        "practice_scope": after.practice_scope,
        "main_institution_id": after.main_institution_id,
        "multi_sites": after.multi_sites,
        "filed_on": after.filed_on,
        "filing_institution_id": after.filing_institution_id,
        "photo_sha256": after.photo_sha256,
    }


async def _announce(
    uow: UnitOfWork,
    account_id: UUID,
    after: Registration,
    *,
    version: int,
    now: datetime,
    cause: ApplicationType | None,
    cause_application_id: UUID | None,
    without_application: tuple[str, str] = (MULTI_SITE_EXPIRED, MULTI_SITE_EXPIRED_ZH),
) -> RegistrationChanged:
    """Publish the registration's snapshot after the change, and keep it in the registration's history. A change
    no application caused gives its history's cause and its reason in `without_application`."""
    name, masked = await register.physician(uow.session, account_id=account_id)
    event = RegistrationChanged(
        account_id=account_id,
        **_snapshot_of(after),
        physician_name=name,
        id_number_masked=masked,
        cause_application_id=cause_application_id,
        cause_application_type=cause,
        reason=None if cause else without_application[1],
        changed_at=now,
        register_version=version,
    )
    await register.add_history(
        uow.session,
        account_id=account_id,
        after=after,
        cause=cause.value if cause else without_application[0],
        cause_application_id=cause_application_id,
        snapshot=event.model_dump(mode="json"),
        changed_at=now,
    )
    uow.publish(event, subject_id=account_id)
    return event


REGISTER_CLAIMED_ZH = "已关联原注册系统导入的执业注册"  # the reason the snapshot gives when the account takes it over


async def take_over_imported(
    *, uow: UnitOfWork, account_id: UUID, qualification_code: str, id_number_masked: str, now: datetime,
    office: LicenceOffice,
) -> Registration | None:  # fmt: skip
    """The physician's qualification check matched: the registration imported for the holder of this qualification
    certificate code becomes the account's, if the masked ID number is the one imported with it and the account
    holds no registration of its own. Announced as a change (snapshot, history, licence); None if nothing waits."""
    session = uow.session
    imported = await register_claims.waiting(session, qualification_code=qualification_code)
    if imported is None or imported.id_number_masked != id_number_masked:
        return None
    if await load(uow, account_id, for_update=True) is not None:
        return None  # registered in this system meanwhile: the imported record stays for an officer to settle
    await register_claims.hand_over(session, placeholder=imported.placeholder, account_id=account_id, now=now)
    registration = await load(uow, account_id, for_update=True)
    if registration is None:
        raise RuntimeError(f"the imported registration {imported.certificate_number} vanished while it was handed over")
    version = await register.store(
        session, account_id=account_id, before=registration, after=registration, now=now,
        cause_application_id=None, end_reason="",
    )  # fmt: skip
    changed = await _announce(
        uow, account_id, registration, version=version, now=now, cause=None, cause_application_id=None,
        without_application=(REGISTER_CLAIMED, REGISTER_CLAIMED_ZH),
    )  # fmt: skip
    await licences.follow_register(uow=uow, office=office, change=changed)
    return registration
