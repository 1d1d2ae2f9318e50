"""Telling people of e-licence changes: the physician, and the staff of every institution on their roster.

Every message is in the inbox as well (`Outbound.tell`); the channels below are the ones beyond it.

The registration read model (where each physician practises) is kept here from licensing's snapshots.
"""

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
from notifications.adapters import accounts, registrations
from notifications.domain.catalogue import MessageKind
from notifications.service.outbound import Outbound

LicenceEvent = LicenceIssued | LicenceSuspended | LicenceReinstated | LicenceRevoked

PHYSICIAN_KINDS: dict[type, tuple[MessageKind, LicenceStatus, tuple[Channel, ...]]] = {
    LicenceIssued: (MessageKind.LICENCE_ISSUED, LicenceStatus.VALID, (Channel.EMAIL,)),
    LicenceSuspended: (
        MessageKind.LICENCE_SUSPENDED,
        LicenceStatus.SUSPENDED,
        (Channel.SMS, Channel.EMAIL),
    ),
    LicenceReinstated: (MessageKind.LICENCE_REINSTATED, LicenceStatus.VALID, (Channel.EMAIL,)),
    LicenceRevoked: (MessageKind.LICENCE_REVOKED, LicenceStatus.REVOKED, (Channel.SMS, Channel.EMAIL)),
}


async def registration_changed(*, out: Outbound, event: RegistrationChanged) -> None:
    await registrations.remember_registration(
        out.session,
        account_id=event.account_id,
        certificate_number=event.certificate_number,
        status=event.status,
        institution_ids=[event.main_institution_id, *(site.institution_id for site in event.multi_sites)],
        changed_at=event.changed_at,
    )


async def licence_changed(*, out: Outbound, event: LicenceEvent) -> None:
    kind, status, channels = PHYSICIAN_KINDS[type(event)]
    physician = await accounts.contact_of(out.session, account_id=event.account_id)
    facts: dict[str, object] = {"reason": getattr(event, "reason", None)}
    if isinstance(event, LicenceIssued):
        facts["certificate_number"] = event.certificate_number
    await out.tell(kind, facts, account_id=event.account_id, contact=physician, channels=channels)
    await tell_roster(out, event.account_id, status=status, physician_name=physician.real_name if physician else "-")


async def tell_roster(out: Outbound, account_id: UUID, *, status: LicenceStatus, physician_name: str) -> None:
    institutions = await registrations.roster_institutions(out.session, account_id=account_id)
    staff = await accounts.staff_of(out.session, institution_ids=institutions)
    facts = {"physician_name": physician_name, "licence_status": status}
    await out.tell_at_work(MessageKind.ROSTER_LICENCE_CHANGED, facts, staff)
