"""Applications as licensing keeps them from applications' events (a read model), and their physicians."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import ApplicationType, PracticeCategory
from licensing.adapters.tables import applications
from licensing.domain.applications import Application
from licensing.domain.tasks import TaskStatus


def application_of(values: Mapping[Any, Any], *, prefix: str = "") -> Application:
    """The application in a row (its columns' names after `prefix`, in a row joined with another table)."""
    v = {c.name: values[prefix + c.name] for c in applications.c}
    return Application(
        id=v["id"],
        account_id=v["account_id"],
        application_type=ApplicationType(v["application_type"]),
        institution_id=v["institution_id"],
        category=PracticeCategory(v["category"]),
        physician_name=v["physician_name"],
        id_number_masked=v["id_number_masked"],
        details=v["details"],
        status=TaskStatus(v["status"]),
        ended_at=v["ended_at"],
        end_reason=v["end_reason"],
    )


async def add(session: AsyncSession, application: Application) -> None:
    """Keep an application; one seen before stays as it is (a redelivered event)."""
    values = {
        "id": application.id,
        "account_id": application.account_id,
        "application_type": application.application_type.value,
        "institution_id": application.institution_id,
        "category": application.category.value,
        "physician_name": application.physician_name,
        "id_number_masked": application.id_number_masked,
        "details": dict(application.details),
        "status": application.status.value,
        "ended_at": application.ended_at,
        "end_reason": application.end_reason,
    }
    await session.execute(pg_insert(applications).values(**values).on_conflict_do_nothing())


async def get(session: AsyncSession, *, application_id: UUID) -> Application | None:
    row = (await session.execute(select(applications).where(applications.c.id == application_id))).first()
    return application_of(row._mapping) if row else None


async def set_status(
    session: AsyncSession,
    *,
    application_id: UUID,
    status: TaskStatus,
    ended_at: datetime | None = None,
    end_reason: str | None = None,
) -> bool:
    """Move an open application to `status` (decided, withdrawn or closed); False if it is no longer open.

    Guarded like the task beside it: an application decided here is never set back to withdrawn or closed
    by an event that arrives later, and an ended one is not decided."""
    stmt = (
        update(applications)
        .where(applications.c.id == application_id, applications.c.status == TaskStatus.OPEN.value)
        .values(status=status.value, ended_at=ended_at, end_reason=end_reason)
        .returning(applications.c.id)
    )
    return (await session.execute(stmt)).first() is not None


async def physician_of(session: AsyncSession, *, account_id: UUID) -> tuple[str, str] | None:
    """The physician's name and masked ID number, as their applications carried them."""
    query = select(applications.c.physician_name, applications.c.id_number_masked).where(
        applications.c.account_id == account_id
    )
    row = (await session.execute(query.limit(1))).first()
    return (row.physician_name, row.id_number_masked) if row else None
