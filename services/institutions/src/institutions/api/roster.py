"""The physicians practising at the staff's institution."""

from __future__ import annotations

from fastapi import APIRouter, Response

from institutions.api.deps import Deps, Staff
from institutions.api.schemas import RosterEntryRead
from institutions.domain.roster import RosterRole
from institutions.service import roster
from regsys_runtime.app import WindowDep, items_of
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["roster"])


@router.get("/roster", response_model=list[RosterEntryRead], responses=problem_responses(401, 403, 422))
async def institution_roster(
    staff: Staff, deps: Deps, response: Response, window: WindowDep, role: RosterRole | None = None
) -> list[RosterEntryRead]:
    """The physicians practising at the staff's institution, main and multi-site."""
    page = await roster.roster_of(uow=deps.uow(), staff=staff, role=role, window=window)
    return items_of(page.map(RosterEntryRead.model_validate), response)
