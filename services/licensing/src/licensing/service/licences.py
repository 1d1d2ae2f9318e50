"""Use cases of the electronic licence: claim, show and download it, keep it in step with the register, its keys."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from uuid import UUID

from contracts.enums import LicenceStatus
from contracts.licensing.v1 import LicenceReinstated, LicenceRevoked, LicenceSuspended, RegistrationChanged
from licensing.adapters import licence_documents, licences, signing_keys
from licensing.domain.audit import ReviewerAction
from licensing.domain.licence import (
    NOT_REGISTERED,
    STEP_REASONS,
    CannotClaim,
    Licence,
    RegisterState,
    Step,
    claimable,
    follow,
)
from licensing.service import audit, issuing
from licensing.service.office import LicenceOffice
from regsys_runtime.audit import Actor
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, NotFound

log = logging.getLogger(__name__)

STATUS_STEPS = {
    Step.SUSPEND: (LicenceStatus.SUSPENDED, LicenceSuspended),
    Step.REINSTATE: (LicenceStatus.VALID, LicenceReinstated),
    Step.REVOKE: (LicenceStatus.REVOKED, LicenceRevoked),
}


async def ensure_signing_key(*, uow: UnitOfWork, office: LicenceOffice, now: datetime) -> None:
    """Create the first licence-signing key on first start; after a rotation of LICENSING_SECRET_KEY, re-seal the
    keys under the new secret."""
    async with uow:
        if resealed := await signing_keys.ensure_key(uow.session, sealer=office.sealer, now=now):
            log.info("re-sealed %d licence-signing keys under the current LICENSING_SECRET_KEY", resealed)
        await uow.commit()


async def rotate_signing_key(*, uow: UnitOfWork, office: LicenceOffice, actor: Actor, now: datetime) -> str:
    """Sign from now on with a new key; licences signed before stay verifiable with the retired one."""
    async with uow:
        kid = await signing_keys.rotate(uow.session, sealer=office.sealer, now=now)
        await audit.note(uow, actor, ReviewerAction.LICENCE_KEY_ROTATED, at=now, subject_id=None, kid=kid)
        await uow.commit()
    return kid


async def claim(*, uow: UnitOfWork, office: LicenceOffice, account_id: UUID, now: datetime) -> tuple[Licence, bool]:
    """申领|亮照: the physician's current licence, issued now if they have none; True if it is new."""
    async with uow:
        holder = await licences.holder_register(uow.session, account_id=account_id, lock=True)
        if holder is None:
            raise CannotClaim(NOT_REGISTERED)
        claimable(RegisterState.of(holder))
        current = await licences.current(uow.session, account_id=account_id, lock=True)
        if current is not None and current.current_at(now):
            return current, False
        issued = await issuing.issue(uow, office, holder=holder, now=now, supersedes=current)
        await uow.commit()
        shown = await licences.current(uow.session, account_id=account_id)
    if shown is None or shown.id != issued.id:
        raise RuntimeError("the licence just issued is not the current one")
    return shown, True


async def show(*, uow: UnitOfWork, account_id: UUID) -> Licence:
    """The physician's latest licence, whatever its status."""
    async with uow:
        licence = await licences.latest(uow.session, account_id=account_id)
    if licence is None:
        raise NotFound(
            Message(
                "You have not claimed an electronic licence yet; claim it first.", zh="您还没有领取电子证照，请先领取。"
            ),
            code="not-claimed",
        )
    return licence


async def licence_png(*, uow: UnitOfWork, office: LicenceOffice, account_id: UUID) -> bytes:
    """The physician's latest licence as a picture, with its QR code."""
    sheet = await _sheet(uow, office, account_id)
    return await asyncio.to_thread(licence_documents.render_png, sheet)


async def licence_pdf(*, uow: UnitOfWork, office: LicenceOffice, account_id: UUID) -> bytes:
    """The physician's latest licence as a printable document, with its QR code."""
    sheet = await _sheet(uow, office, account_id)
    return await asyncio.to_thread(licence_documents.render_pdf, sheet)


async def _sheet(uow: UnitOfWork, office: LicenceOffice, account_id: UUID) -> licence_documents.LicenceSheet:
    licence = await show(uow=uow, account_id=account_id)
    qr_text = office.verification_url(licence)
    return licence_documents.sheet(licence.content, status=licence.status.value, qr_text=qr_text)


async def follow_register(*, uow: UnitOfWork, office: LicenceOffice, change: RegistrationChanged) -> Step:
    """The register changed for one physician: suspend, reinstate, revoke or re-issue their licence.

    Call it in the unit of work that changes the register, with the snapshot it publishes; it commits nothing.
    """
    now = change.changed_at
    await licences.remember_register(uow.session, change=change, now=now)
    current = await licences.current(uow.session, account_id=change.account_id, lock=True)
    register = RegisterState.of(change)
    shown = RegisterState.of(current.shown) if current else None
    step = follow(current.status if current else None, shown, register)
    if current is None or step is Step.NOTHING:
        return step
    if step is Step.REISSUE:
        await issuing.issue(uow, office, holder=change, now=now, supersedes=current)
        return step
    status, event_class = STATUS_STEPS[step]
    reason = STEP_REASONS[step]
    await licences.set_status(uow.session, licence_id=current.id, status=status, reason=reason, now=now)
    uow.publish(
        event_class(
            licence_id=current.id,
            account_id=change.account_id,
            reason=reason,
            licence_number=current.number,
            certificate_number=current.certificate_number,
            changed_at=now,
            institution_ids=register.institution_ids,
        ),
        subject_id=change.account_id,
    )
    return step
