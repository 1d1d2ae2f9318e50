"""Moving an application through its states, each move recorded in the history the physician reads."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping

from applications.adapters.tables import applications, history
from applications.domain.machine import OPEN, Step, TransitionRefused, Trigger, step
from applications.domain.preconditions import register_refusal
from applications.service.common import details_of, lock_account, one, own_for_update, register_of
from contracts.applications.v1 import ApplicationClosed, ApplicationStatusChanged, ApplicationWithdrawn
from contracts.enums import ApplicationStatus, ApplicationType
from contracts.licensing.v1 import RegistrationChanged
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem

log = logging.getLogger(__name__)


async def record(
    uow: UnitOfWork,
    application: RowMapping,
    move: Step,
    *,
    actor: str,
    actor_id: UUID | None,
    reason: str | None,
    at: datetime,
) -> None:
    """Apply one step of the state machine: the new status, a history entry and, if it changed, the news."""
    if move.changes_status:
        await uow.session.execute(
            update(applications).where(applications.c.id == application.id).values(status=move.after, updated_at=at)
        )
    await uow.session.execute(
        insert(history).values(
            id=uuid.uuid4(),
            application_id=application.id,
            status=move.after,
            actor=actor,
            actor_id=actor_id,
            outcome=move.trigger,
            reason=reason,
            late=move.late,
            at=at,
        )
    )
    if move.changes_status:
        uow.publish(
            ApplicationStatusChanged(
                application_id=application.id,
                account_id=application.account_id,
                application_type=application.application_type,
                status=move.after,
                reason=reason,
                changed_at=at,
            ),
            subject_id=application.account_id,
        )


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
    row = await one(uow, applications, applications.c.id, application_id, for_update=True)
    if row is None:
        log.warning("a decision about an unknown application", extra={"application_id": str(application_id)})
        return None
    try:
        move = step(ApplicationType(row.application_type), ApplicationStatus(row.status), trigger)
    except TransitionRefused as refused:
        log.warning("a decision the application cannot take", extra={"detail": refused.detail})
        return None
    await record(uow, row, move, actor=actor, actor_id=actor_id, reason=reason, at=at)
    return move


async def withdraw(*, uow: UnitOfWork, physician: Principal, application_id: UUID, reason: str | None) -> None:
    async with uow:
        row = await own_for_update(uow, physician.account_id, application_id)
        try:
            move = step(ApplicationType(row.application_type), ApplicationStatus(row.status), Trigger.WITHDRAW)
        except TransitionRefused as refused:
            raise Problem(409, "cannot-withdraw", refused.detail) from None
        now = datetime.now(UTC)
        await record(uow, row, move, actor="physician", actor_id=physician.account_id, reason=reason, at=now)
        if move.before is not ApplicationStatus.DRAFT:  # reviewers never saw a draft
            uow.publish(
                ApplicationWithdrawn(
                    application_id=row.id,
                    account_id=row.account_id,
                    application_type=row.application_type,
                    institution_id=row.institution_id,
                    withdrawn_at=now,
                ),
                subject_id=row.account_id,
            )
        await uow.commit()


async def close_stale(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    """The register changed: close every other open application of the physician that it makes impossible."""
    await lock_account(uow, event.account_id)
    register = await register_of(uow, event.account_id)
    query = (
        select(applications)
        .where(applications.c.account_id == event.account_id, applications.c.status.in_(OPEN))
        .with_for_update()
    )
    for row in (await uow.session.execute(query)).mappings().all():
        if row.id == event.cause_application_id:
            continue  # its own decision may simply not have arrived yet
        kind = ApplicationType(row.application_type)
        refusal = register_refusal(kind, details_of(row), register)
        if refusal is None:
            continue
        reason = f"The practice register changed: {refusal.detail}"
        move = step(kind, ApplicationStatus(row.status), Trigger.CLOSE)
        await record(uow, row, move, actor="system", actor_id=None, reason=reason, at=event.changed_at)
        uow.publish(
            ApplicationClosed(
                application_id=row.id,
                account_id=row.account_id,
                application_type=kind,
                institution_id=row.institution_id,
                reason=reason,
                closed_at=event.changed_at,
            ),
            subject_id=row.account_id,
        )
