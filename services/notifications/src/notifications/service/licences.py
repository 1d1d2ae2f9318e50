"""Telling people of e-licence changes: the physician, and the staff of every institution on their roster."""

from __future__ import annotations

from uuid import UUID

from contracts.enums import Channel, LicenceStatus
from contracts.licensing.v1 import (
    LicenceIssued,
    LicenceReinstated,
    LicenceRevoked,
    LicenceSuspended,
    RegistrationChanged,
)
from notifications.domain.catalogue import MessageKind
from notifications.service import directory
from notifications.service.applications import tell_all
from notifications.service.outbound import Outbound

LicenceEvent = LicenceIssued | LicenceSuspended | LicenceReinstated | LicenceRevoked

PHYSICIAN_KINDS: dict[type, tuple[MessageKind, LicenceStatus, tuple[Channel, ...]]] = {
    LicenceIssued: (MessageKind.LICENCE_ISSUED, LicenceStatus.VALID, (Channel.INBOX, Channel.EMAIL)),
    LicenceSuspended: (
        MessageKind.LICENCE_SUSPENDED,
        LicenceStatus.SUSPENDED,
        (Channel.INBOX, Channel.SMS, Channel.EMAIL),
    ),
    LicenceReinstated: (MessageKind.LICENCE_REINSTATED, LicenceStatus.VALID, (Channel.INBOX, Channel.EMAIL)),
    LicenceRevoked: (MessageKind.LICENCE_REVOKED, LicenceStatus.REVOKED, (Channel.INBOX, Channel.SMS, Channel.EMAIL)),
}


async def registration_changed(*, out: Outbound, event: RegistrationChanged) -> None:
    await directory.remember_registration(uow=out.uow, event=event)


async def licence_changed(*, out: Outbound, event: LicenceEvent) -> None:
    kind, status, channels = PHYSICIAN_KINDS[type(event)]
    physician = await directory.contact_of(uow=out.uow, account_id=event.account_id)
    facts: dict[str, object] = {"reason": getattr(event, "reason", None)}
    if isinstance(event, LicenceIssued):
        facts["certificate_number"] = event.certificate_number
    await out.tell(kind, facts, account_id=event.account_id, contact=physician, channels=channels)
    await tell_roster(out, event.account_id, status=status, physician_name=physician.real_name if physician else "-")


async def tell_roster(out: Outbound, account_id: UUID, *, status: LicenceStatus, physician_name: str) -> None:
    institutions = await directory.roster_institutions(uow=out.uow, account_id=account_id)
    staff = await directory.staff_of(uow=out.uow, institution_ids=institutions)
    facts = {"physician_name": physician_name, "licence_status": status}
    await tell_all(out, MessageKind.ROSTER_LICENCE_CHANGED, facts, staff)
