"""Telling people of the steps of applications: the physician of every status, reviewers of their new tasks."""

from __future__ import annotations

from collections.abc import Mapping

from contracts.applications.v1 import ApplicationStatusChanged, ApplicationSubmitted, ApplicationWithdrawn
from contracts.enums import ApplicationStatus, ApplicationType, Channel, ReviewOutcome
from contracts.identity.v1 import ActivationRequested
from contracts.institutions.v1 import ReviewCompleted
from notifications.domain.catalogue import MessageKind
from notifications.service import directory
from notifications.service.directory import Contact
from notifications.service.outbound import Outbound

# an SMS costs money: it is kept for the outcomes a physician must not miss
SMS_WORTHY = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.CLOSED})
REVIEWERS_CHANNELS = (Channel.INBOX, Channel.EMAIL)


async def status_changed(*, out: Outbound, event: ApplicationStatusChanged) -> None:
    contact = await directory.contact_of(uow=out.uow, account_id=event.account_id)
    channels = [Channel.INBOX, Channel.EMAIL] + ([Channel.SMS] if event.status in SMS_WORTHY else [])
    facts = {"application_type": event.application_type, "status": event.status, "reason": event.reason}
    await out.tell(
        MessageKind.APPLICATION_STATUS_CHANGED, facts, account_id=event.account_id, contact=contact, channels=channels
    )


async def submitted(*, out: Outbound, event: ApplicationSubmitted) -> None:
    """A review task arrives at the institution: its staff hear of it."""
    staff = await directory.staff_of(uow=out.uow, institution_ids=[event.institution_id])
    facts = {
        "application_type": event.application_type,
        "physician_name": event.physician_name,
        "id_number_masked": event.id_number_masked,
    }
    await tell_all(out, MessageKind.REVIEW_TASK_ARRIVED, facts, staff)


async def withdrawn(*, out: Outbound, event: ApplicationWithdrawn) -> None:
    staff = await directory.staff_of(uow=out.uow, institution_ids=[event.institution_id])
    await tell_all(out, MessageKind.REVIEW_TASK_WITHDRAWN, {"application_type": event.application_type}, staff)


async def review_completed(*, out: Outbound, event: ReviewCompleted) -> None:
    """An approved review puts a task in the authority's queue: the region's officers hear of it."""
    if event.outcome is not ReviewOutcome.APPROVED or event.application_type is ApplicationType.PHOTO_UPDATE:
        return  # a rejection ends the application; a photo update has no authority step
    officers = await directory.officers_of(uow=out.uow, region_code=event.region_code)
    await tell_all(out, MessageKind.AUTHORITY_TASK_ARRIVED, {"application_type": event.application_type}, officers)


async def activation_requested(*, out: Outbound, event: ActivationRequested) -> None:
    staff = await directory.staff_of(uow=out.uow, institution_ids=[event.institution_id])
    facts = {"physician_name": event.real_name, "id_number_masked": event.id_number_masked}
    await tell_all(out, MessageKind.ACTIVATION_REQUESTED, facts, staff)


async def tell_all(out: Outbound, kind: MessageKind, facts: Mapping[str, object], people: list[Contact]) -> None:
    for person in people:
        await out.tell(kind, facts, account_id=person.account_id, contact=person, channels=REVIEWERS_CHANNELS)
