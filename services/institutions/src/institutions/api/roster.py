"""The physicians practising at the staff's institution: a searchable list, and the same as a CSV file."""

from __future__ import annotations

from fastapi import APIRouter, Response

from institutions.api.deps import ClientAddress, Deps, Search, Staff
from institutions.api.roster_csv import roster_csv
from institutions.api.schemas import RosterEntryRead
from institutions.domain.roster import RosterRole
from institutions.service import roster
from regsys_runtime.app import WindowDep, items_of
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["roster"])

CSV = "text/csv; charset=utf-8"


@router.get("/roster", response_model=list[RosterEntryRead], responses=problem_responses(401, 403, 422))
async def institution_roster(
    staff: Staff, deps: Deps, response: Response, window: WindowDep, search: Search, role: RosterRole | None = None
) -> list[RosterEntryRead]:
    """The physicians practising at the staff's institution, main and multi-site, searchable by name, masked ID
    number or certificate number; the total is in the X-Total-Count header."""
    page = await roster.roster_of(uow=deps.uow(), staff=staff, role=role, search=search, window=window)
    return items_of(page.map(RosterEntryRead.model_validate), response)


@router.get(
    "/roster/export",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The roster as CSV."},
        **problem_responses(401, 403, 422),
    },
)
async def export_roster(
    staff: Staff, deps: Deps, client: ClientAddress, search: Search, role: RosterRole | None = None
) -> Response:
    """The whole roster that matches, as a CSV file (UTF-8 with BOM, a Chinese header row); the export is audited."""
    entries = await roster.export_roster(
        uow=deps.uow(), staff=staff, client_address=client, role=role, search=search, now=deps.clock.now()
    )
    filename = f"roster-{deps.clock.today().isoformat()}.csv"
    return Response(
        roster_csv(entries), media_type=CSV, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
