"""Institutions' records: the administrator loads them, anyone signed in lists them."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from institutions.api.deps import Admin, ClientAddress, Deps
from institutions.api.schemas import InstitutionCreate, InstitutionRead, InstitutionUpdate
from institutions.service import institution_import, institutions
from regsys_runtime.auth import CurrentPrincipal
from regsys_runtime.csv_import import FIRST_DATA_LINE
from regsys_runtime.csv_upload import CSV_BODY, IMPORT_RESPONSES, DryRun, FirstLine, ImportResult, chunk_import
from regsys_runtime.problems import problem_responses

router = APIRouter()


@router.post(
    "/admin/institutions",
    status_code=201,
    response_model=InstitutionRead,
    tags=["admin"],
    responses=problem_responses(401, 403, 409, 422),
)
async def create_institution(
    body: InstitutionCreate, admin: Admin, deps: Deps, client: ClientAddress
) -> InstitutionRead:
    """Load an institution; its credit code, region code (GB/T 2260) and name are checked, and loaded once."""
    loaded = await institutions.register_institution(
        uow=deps.uow(), admin=admin, client_address=client, now=deps.clock.now(), **body.model_dump()
    )
    return InstitutionRead.of(loaded)


@router.post(
    "/admin/institutions/import",
    response_model=ImportResult,
    tags=["admin"],
    responses=IMPORT_RESPONSES,
    openapi_extra=CSV_BODY,
)
async def import_institutions(
    request: Request,
    admin: Admin,
    deps: Deps,
    client: ClientAddress,
    dry_run: DryRun = False,
    first_line: FirstLine = FIRST_DATA_LINE,
) -> ImportResult:
    """Load institutions from one chunk of a CSV file (its header line first): a new credit code creates the
    institution as `POST /admin/institutions` does, a loaded one is brought up to date. The chunk's valid rows load
    in one transaction; each invalid one is reported with its line and the reason."""
    outcome = await institution_import.import_institutions(
        uow=deps.uow(), admin=admin, client_address=client, now=deps.clock.now(),
        request=await chunk_import(request, first_line=first_line, dry_run=dry_run),
    )  # fmt: skip
    return ImportResult.of(outcome)


@router.put(
    "/admin/institutions/{institution_id}",
    response_model=InstitutionRead,
    tags=["admin"],
    responses=problem_responses(401, 403, 404, 422),
)
async def edit_institution(
    institution_id: UUID, body: InstitutionUpdate, admin: Admin, deps: Deps, client: ClientAddress
) -> InstitutionRead:
    """Correct an institution's name, licence number, region, level or address (its credit code stays)."""
    edited = await institutions.edit_institution(
        uow=deps.uow(), admin=admin, client_address=client, now=deps.clock.now(), institution_id=institution_id,
        **body.model_dump(),
    )  # fmt: skip
    return InstitutionRead.of(edited)


@router.get(
    "/institutions", response_model=list[InstitutionRead], tags=["institutions"], responses=problem_responses(401, 422)
)
async def list_institutions(
    _: CurrentPrincipal, deps: Deps, region_code: Annotated[str | None, Query(pattern=r"^[0-9]{6}$")] = None
) -> list[InstitutionRead]:
    found = await institutions.list_institutions(uow=deps.uow(), region_code=region_code)
    return [InstitutionRead.of(institution) for institution in found]
