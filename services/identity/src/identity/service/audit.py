"""The audit trail of operator actions: each use case that acts notes its action here, inside its own unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from identity.adapters import tables
from identity.domain.audit import OperatorAction
from regsys_runtime import audit
from regsys_runtime.audit import Actor, AuditEntry, AuditQuery
from regsys_runtime.db import UnitOfWork
from regsys_runtime.paging import Page, Window


async def note(
    uow: UnitOfWork, actor: Actor, action: OperatorAction, *, at: datetime, subject_id: UUID | None, **details: Any
) -> None:
    """Append the entry to the caller's unit of work: it commits with the action, or not at all."""
    await audit.note(uow.session, tables.audit_trail, actor, action.value, at=at, subject_id=subject_id, **details)


async def audit_trail(*, uow: UnitOfWork, query: AuditQuery, window: Window) -> Page[AuditEntry]:
    async with uow:
        return await audit.entries(uow.session, tables.audit_trail, query=query, window=window)
