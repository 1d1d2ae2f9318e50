"""The audit trail of every staff and operator action in institutions (administrators only)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from institutions.api.deps import Admin, Deps
from institutions.api.schemas import AuditEntryRead
from institutions.domain.audit import AuditAction, AuditQuery
from institutions.service import audit
from regsys_runtime.app import WindowDep, items_of
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["admin"])


@router.get("/admin/audit-trail", response_model=list[AuditEntryRead], responses=problem_responses(401, 403, 422))
async def audit_trail(
    _: Admin,
    deps: Deps,
    response: Response,
    window: WindowDep,
    institution_id: UUID | None = None,
    actor_id: UUID | None = None,
    action: AuditAction | None = None,
) -> list[AuditEntryRead]:
    """Who did what, when and from where, newest first; the total is in the X-Total-Count header."""
    query = AuditQuery(institution_id=institution_id, actor_id=actor_id, action=action)
    page = await audit.audit_trail(uow=deps.uow(), query=query, window=window)
    return items_of(page.map(AuditEntryRead.of), response)
