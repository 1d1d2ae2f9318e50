"""Moving an application through its states, each move recorded in the history the physician reads."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from applications.adapters.applications import add_history, application_by_id, open_applications_of, save_application
from applications.adapters.registrations import lock_account, register_of
from applications.domain.application import Application, HistoryEntry, yours
from applications.domain.machine import Step, TransitionRefused, Trigger
from applications.domain.preconditions import register_refusal
from contracts.applications.v1 import (
    ApplicationClosed,
    ApplicationStatusChanged,
    ApplicationWithdrawn,
    WithdrawalRequested,
)
from contracts.institutions.v1 import ReviewWithdrawn
from contracts.licensing.v1 import RegistrationChanged
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork

log = logging.getLogger(__name__)


async def record(uow: UnitOfWork, application: Application, *entries: HistoryEntry) -> Application:
    """The steps one command took: each in the history; the status after the last and, if it changed, the news.

    One command, one status change on the wire (a submission is two steps, but the physician clicked once).
    """
    for entry in entries:
        await add_history(uow.session, application_id=application.id, entry=entry)
    last = entries[-1]
    if last.status is application.status:
        return application
    moved = application.moved_to(last.status, at=last.at)
    await save_application(uow.session, application=moved)
    uow.publish(
        ApplicationStatusChanged(
            application_id=moved.id,
            account_id=moved.account_id,
            application_type=moved.kind,
            status=moved.status,
            reason=last.reason,
            changed_at=last.at,
        ),
        subject_id=moved.account_id,
    )
    return moved


async def advance(
    *,
    uow: UnitOfWork,
    application_id: UUID,
    trigger: Trigger,
    actor: str,
    actor_id: UUID | None,
    reason: str | None,
    at: datetime,
) -> Step | None:
    """A reviewer decided: follow the state machine (see domain.machine for decisions that cross a withdrawal)."""
    application = await application_by_id(uow.session, application_id=application_id, for_update=True)
    if application is None:
        log.warning("a decision about an unknown application", extra={"application_id": str(application_id)})
        return None
    try:
        move = application.step(trigger)
    except TransitionRefused as refused:
        log.warning("a decision the application cannot take", extra={"detail": refused.detail})
        return None
    await record(uow, application, HistoryEntry.of(move, actor=actor, actor_id=actor_id, reason=reason, at=at))
    return move


async def withdraw(
    *, uow: UnitOfWork, physician: Principal, application_id: UUID, reason: str | None, now: datetime
) -> Application:
    """The physician withdraws: a draft at once; otherwise the request goes to the reviewing institution, which
    settles it against its own decision under its task's lock (nobody is told until then). Refused once the
    institution has decided; asking again while a request waits changes nothing (the first one stands)."""
    async with uow:
        await lock_account(uow.session, account_id=physician.account_id)  # one physician's events in commit order
        found = await application_by_id(uow.session, application_id=application_id, for_update=True)
        application = yours(found, physician.account_id)
        if application.withdrawal_pending:
            return application
        move = application.withdrawal()
        entry = HistoryEntry.of(move, actor="physician", actor_id=physician.account_id, reason=reason, at=now)
        if move.changes_status:  # a draft: no reviewer ever saw it
            application = await record(uow, application, entry)
        else:
            application = application.withdrawal_requested(reason=reason, at=now)
            await _ask_the_institution(uow, application, at=now)
            await record(uow, application, entry)
        await uow.commit()
    return application


async def _ask_the_institution(uow: UnitOfWork, application: Application, *, at: datetime) -> None:
    """Keep the request beside the status, and send it to the institution that settles it."""
    await save_application(uow.session, application=application)
    uow.publish(
        WithdrawalRequested(
            application_id=application.id,
            account_id=application.account_id,
            application_type=application.kind,
            institution_id=application.institution_id,
            requested_at=at,
        ),
        subject_id=application.account_id,
    )


async def withdrawal_settled(*, uow: UnitOfWork, event: ReviewWithdrawn) -> None:
    """The institution settled the physician's withdrawal before any decision: the application is withdrawn,
    and only now is anybody told (ApplicationWithdrawn, and the status change)."""
    await lock_account(uow.session, account_id=event.account_id)
    application = await application_by_id(uow.session, application_id=event.application_id, for_update=True)
    if application is None:
        log.warning("a withdrawal of an unknown application", extra={"application_id": str(event.application_id)})
        return
    try:
        move = application.step(Trigger.WITHDRAW)
    except TransitionRefused as refused:  # closed here meanwhile: the closure stands, and institutions follows it
        log.warning("a withdrawal the application cannot take", extra={"detail": refused.detail})
        return
    at = event.withdrawn_at
    entry = HistoryEntry.of(
        move, actor="physician", actor_id=event.account_id, reason=application.withdrawal_reason, at=at
    )
    await record(uow, application, entry)
    uow.publish(
        ApplicationWithdrawn(
            application_id=application.id,
            account_id=application.account_id,
            application_type=application.kind,
            institution_id=application.institution_id,
            withdrawn_at=at,
        ),
        subject_id=application.account_id,
    )


async def close_stale(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    """The register changed: close every other open application of the physician that it makes impossible."""
    register = await register_of(uow.session, account_id=event.account_id)
    for application in await open_applications_of(uow.session, account_id=event.account_id):
        if application.id == event.cause_application_id:
            continue  # its own decision may simply not have arrived yet
        refusal = register_refusal(application.kind, application.details, register)
        if refusal is None:
            continue
        reason = f"The practice register changed: {refusal.detail}"
        move = application.step(Trigger.CLOSE)
        entry = HistoryEntry.of(move, actor="system", actor_id=None, reason=reason, at=event.changed_at)
        await record(uow, application, entry)
        uow.publish(
            ApplicationClosed(
                application_id=application.id,
                account_id=application.account_id,
                application_type=application.kind,
                institution_id=application.institution_id,
                reason=reason,
                closed_at=event.changed_at,
            ),
            subject_id=application.account_id,
        )
