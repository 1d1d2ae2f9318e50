"""Reading and writing applications and their history."""

from __future__ import annotations

from uuid import UUID, uuid4

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from applications.adapters.tables import applications, history
from applications.domain.application import Application, HistoryEntry
from applications.domain.machine import OPEN
from applications.domain.preconditions import OpenElsewhere
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import ApplicationStatus, ApplicationType, PracticeCategory

ONE_OPEN_PER_PART = "uq_applications_one_open_per_part"


def _application(row: RowMapping) -> Application:
    return Application(
        id=row.id,
        account_id=row.account_id,
        kind=ApplicationType(row.application_type),
        status=ApplicationStatus(row.status),
        institution_id=row.institution_id,
        category=PracticeCategory(row.category),
        details=ApplicationDetails.model_validate(row.details),
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        affects=row.affects,
        withdrawal_requested_at=row.withdrawal_requested_at,
        withdrawal_reason=row.withdrawal_reason,
    )


def _values(application: Application) -> dict[str, object]:
    return {
        "account_id": application.account_id,
        "application_type": application.kind,
        "status": application.status,
        "institution_id": application.institution_id,
        "category": application.category,
        "details": application.details.model_dump(mode="json"),
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
        "affects": application.affects,
        "withdrawal_requested_at": application.withdrawal_requested_at,
        "withdrawal_reason": application.withdrawal_reason,
    }


async def application_by_id(
    session: AsyncSession, *, application_id: UUID, for_update: bool = False
) -> Application | None:
    query = select(applications).where(applications.c.id == application_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).mappings().first()
    return _application(row) if row else None


async def applications_of(session: AsyncSession, *, account_id: UUID) -> list[Application]:
    """The physician's applications, the latest changed first."""
    query = (
        select(applications).where(applications.c.account_id == account_id).order_by(applications.c.updated_at.desc())
    )
    return [_application(row) for row in (await session.execute(query)).mappings()]


async def open_applications_of(session: AsyncSession, *, account_id: UUID) -> list[Application]:
    """The physician's applications still with the reviewers, locked for a change."""
    query = (
        select(applications)
        .where(applications.c.account_id == account_id, applications.c.status.in_(OPEN))
        .with_for_update()
    )
    return [_application(row) for row in (await session.execute(query)).mappings()]


async def part_is_busy(session: AsyncSession, *, account_id: UUID, part: str) -> bool:
    """Whether an open application of the account already affects this part of the register."""
    query = select(applications.c.id).where(
        applications.c.account_id == account_id, applications.c.affects == part, applications.c.status.in_(OPEN)
    )
    return (await session.execute(query)).first() is not None


async def add_application(session: AsyncSession, *, application: Application) -> None:
    await session.execute(insert(applications).values(id=application.id, **_values(application)))


async def save_application(session: AsyncSession, *, application: Application) -> None:
    """Write the application back; OpenElsewhere if another open one of the same part won a race."""
    try:
        await session.execute(
            update(applications).where(applications.c.id == application.id).values(**_values(application))
        )
    except IntegrityError as exc:
        if ONE_OPEN_PER_PART in str(exc.orig):
            raise OpenElsewhere() from None
        raise


async def add_history(session: AsyncSession, *, application_id: UUID, entry: HistoryEntry) -> None:
    await session.execute(
        insert(history).values(
            id=uuid4(),
            application_id=application_id,
            status=entry.status,
            actor=entry.actor,
            actor_id=entry.actor_id,
            outcome=entry.outcome,
            reason=entry.reason,
            late=entry.late,
            at=entry.at,
        )
    )


async def reached_authority(session: AsyncSession, *, application_id: UUID) -> bool:
    """Whether the application was ever before the health authority (a step into authority review)."""
    query = select(history.c.application_id).where(
        history.c.application_id == application_id, history.c.status == ApplicationStatus.AUTHORITY_REVIEW.value
    )
    return (await session.execute(query.limit(1))).first() is not None


async def history_of(session: AsyncSession, *, application_id: UUID) -> list[HistoryEntry]:
    """The steps in the order they were taken (even within one instant)."""
    query = select(history).where(history.c.application_id == application_id).order_by(history.c.at, history.c.seq)
    return [
        HistoryEntry(
            status=ApplicationStatus(row.status),
            actor=row.actor,
            actor_id=row.actor_id,
            outcome=row.outcome,
            reason=row.reason,
            late=row.late,
            at=row.at,
        )
        for row in (await session.execute(query)).mappings()
    ]
