"""The audit trail: each use case that acts notes its action here, inside its own unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from institutions.adapters import audit as repository
from institutions.domain.audit import Actor, AuditAction, AuditEntry, AuditQuery, entry
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.paging import Page, Window


async def note(
    uow: UnitOfWork,
    by: Principal,
    client_address: str | None,
    action: AuditAction,
    *,
    at: datetime,
    institution_id: UUID | None,
    subject_id: UUID | None,
    **details: Any,
) -> None:
    """Append the entry to the caller's unit of work: it commits with the action, or not at all."""
    actor = Actor(account_id=by.account_id, role=by.role, address=client_address)
    noted = entry(actor, action, at=at, institution_id=institution_id, subject_id=subject_id, **details)
    await repository.append(uow.session, noted)


async def note_all(
    uow: UnitOfWork,
    by: Principal,
    client_address: str | None,
    notes: Iterable[tuple[AuditAction, UUID, dict[str, Any]]],
    *,
    at: datetime,
) -> None:
    """`note` for many actions at once, each (action, the institution acted on, details), in one statement."""
    actor = Actor(account_id=by.account_id, role=by.role, address=client_address)
    entries = [entry(actor, action, at=at, institution_id=i, subject_id=i, **details) for action, i, details in notes]
    await repository.append_all(uow.session, entries)


async def audit_trail(*, uow: UnitOfWork, query: AuditQuery, window: Window) -> Page[AuditEntry]:
    async with uow:
        return await repository.entries(uow.session, query=query, window=window)
