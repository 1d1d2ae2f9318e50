"""The audit trail of officers' decisions and operators' licence-key rotations (administrators only)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from licensing.api.deps import Admin, Deps
from licensing.domain.audit import ReviewerAction
from licensing.service import audit
from regsys_runtime.app import WindowDep, items_of
from regsys_runtime.audit import AuditEntryRead, AuditQuery
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["admin"])


@router.get("/admin/audit-trail", response_model=list[AuditEntryRead], responses=problem_responses(401, 403, 422))
async def audit_trail(
    _: Admin, deps: Deps, response: Response, window: WindowDep, actor_id: UUID | None = None,
    action: ReviewerAction | None = None, subject_id: UUID | None = None,
) -> list[AuditEntryRead]:  # fmt: skip
    """Who did what, when and from where, newest first; the total is in the X-Total-Count header."""
    query = AuditQuery(actor_id=actor_id, action=action, subject_id=subject_id)
    page = await audit.audit_trail(uow=deps.uow(), query=query, window=window)
    return items_of(page.map(AuditEntryRead.model_validate), response)
