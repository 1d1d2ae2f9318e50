"""Operators: staff and officer accounts, disabling accounts, single registry entries."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request

from identity.api.deps import Admin, Deps
from identity.api.schemas import AccountCreated, AccountDisable, QualificationCreate, StaffAccountCreate
from identity.service import accounts, registry
from regsys_runtime.csv_import import FIRST_DATA_LINE
from regsys_runtime.csv_upload import CSV_BODY, IMPORT_RESPONSES, DryRun, FirstLine, ImportResult, chunk_import
from regsys_runtime.problems import problem_responses

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/accounts", status_code=201, response_model=AccountCreated, responses=problem_responses(401, 403, 422))
async def create_account(body: StaffAccountCreate, _: Admin, deps: Deps) -> AccountCreated:
    return AccountCreated(account_id=await accounts.create_staff_account(uow=deps.uow(), **body.model_dump()))


@router.post("/accounts/{account_id}/disable", status_code=204, responses=problem_responses(401, 403, 404, 409, 422))
async def disable_account(account_id: Annotated[UUID, Path()], body: AccountDisable, _: Admin, deps: Deps) -> None:
    """The account can no longer sign in or refresh; every service refuses its access tokens within seconds."""
    await accounts.disable_account(deps=deps, account_id=account_id, reason=body.reason, now=deps.clock.now())


@router.post("/qualifications", status_code=204, responses=problem_responses(401, 403, 422))
async def add_qualification(body: QualificationCreate, _: Admin, deps: Deps) -> None:
    row = {k: (str(v) if v is not None else "") for k, v in body.model_dump().items()}
    await registry.load_qualification(deps=deps, row=row)


@router.post("/qualifications/import", response_model=ImportResult, responses=IMPORT_RESPONSES, openapi_extra=CSV_BODY)
async def import_qualifications(
    request: Request, _: Admin, deps: Deps, dry_run: DryRun = False, first_line: FirstLine = FIRST_DATA_LINE
) -> ImportResult:
    """Load registry entries from one chunk of a CSV file (its header line first): an entry per ID number, replaced
    by a later one. The chunk's valid rows load in one transaction; each invalid one is reported with its line."""
    outcome = await registry.import_qualifications(
        uow=deps.uow(), vault=deps.vault,
        request=await chunk_import(request, first_line=first_line, dry_run=dry_run),
    )  # fmt: skip
    return ImportResult.of(outcome)
