"""Telling people of the steps of applications: the physician of every status, reviewers of their new tasks.

Every message is in the inbox as well (`Outbound.tell`); the channels below are the ones beyond it.
"""

from __future__ import annotations

from contracts.applications.v1 import ApplicationStatusChanged, ApplicationSubmitted, ApplicationWithdrawn
from contracts.enums import ApplicationStatus, Channel, ReviewOutcome
from contracts.institutions.v1 import ReviewCompleted
from notifications.adapters import accounts
from notifications.domain.catalogue import MessageKind
from notifications.service.outbound import Outbound

# an SMS costs money: it is kept for the outcomes a physician must not miss
SMS_WORTHY = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.CLOSED})


async def status_changed(*, out: Outbound, event: ApplicationStatusChanged) -> None:
    contact = await accounts.contact_of(out.session, account_id=event.account_id)
    channels = [Channel.EMAIL] + ([Channel.SMS] if event.status in SMS_WORTHY else [])
    facts = {"application_type": event.application_type, "status": event.status, "reason": event.reason}
    await out.tell(
        MessageKind.APPLICATION_STATUS_CHANGED, facts, account_id=event.account_id, contact=contact, channels=channels
    )


async def submitted(*, out: Outbound, event: ApplicationSubmitted) -> None:
    """A review task arrives at the institution: its staff hear of it."""
    staff = await accounts.staff_of(out.session, institution_ids=[event.institution_id])
    facts = {
        "application_type": event.application_type,
        "physician_name": event.physician_name,
        "id_number_masked": event.id_number_masked,
    }
    await out.tell_at_work(MessageKind.REVIEW_TASK_ARRIVED, facts, staff)


async def withdrawn(*, out: Outbound, event: ApplicationWithdrawn) -> None:
    staff = await accounts.staff_of(out.session, institution_ids=[event.institution_id])
    await out.tell_at_work(MessageKind.REVIEW_TASK_WITHDRAWN, {"application_type": event.application_type}, staff)


async def review_completed(*, out: Outbound, event: ReviewCompleted) -> None:
    """An approved review puts a task in the authority's queue: the region's officers hear of it."""
    if event.outcome is not ReviewOutcome.APPROVED or not event.application_type.has_authority_step:
        return  # a rejection ends the application, and some types end with the institution's review
    officers = await accounts.officers_of(out.session, region_code=event.region_code)
    await out.tell_at_work(MessageKind.AUTHORITY_TASK_ARRIVED, {"application_type": event.application_type}, officers)
