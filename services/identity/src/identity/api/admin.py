"""Operators: staff and officer accounts (create, list, disable, enable, unlock), single registry entries, the
token-signing key's rotation and the audit trail of all of it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.enums import AccountStatus, Role
from identity.api.deps import Admin, Deps
from identity.api.schemas import (
    AccountCreated,
    AccountDisable,
    AccountEnabled,
    OperatorAccountRead,
    QualificationCreate,
    StaffAccountCreate,
    TokenKeyRotationRead,
)
from identity.domain.accounts import AccountFilter
from identity.domain.audit import OperatorAction
from identity.service import accounts, audit, registry
from regsys_runtime.app import ClientAddress, WindowDep, items_of
from regsys_runtime.audit import Actor, AuditEntryRead, AuditQuery
from regsys_runtime.csv_import import FIRST_DATA_LINE
from regsys_runtime.csv_upload import CSV_BODY, IMPORT_RESPONSES, DryRun, FirstLine, ImportResult, chunk_import
from regsys_runtime.problems import problem_responses
from regsys_runtime.schemas import Text

router = APIRouter(prefix="/admin", tags=["admin"])
AccountId = Annotated[UUID, Path()]
NamePart = Annotated[Text | None, Query(max_length=50, description="A part of the login or real name.")]


@router.post("/accounts", status_code=201, response_model=AccountCreated, responses=problem_responses(401, 403, 422))
async def create_account(body: StaffAccountCreate, admin: Admin, address: ClientAddress, deps: Deps) -> AccountCreated:
    actor, now = Actor.of(admin, address), deps.clock.now()
    account_id = await accounts.create_staff_account(uow=deps.uow(), actor=actor, now=now, **body.model_dump())
    return AccountCreated(account_id=account_id)


@router.get("/accounts", response_model=list[OperatorAccountRead], responses=problem_responses(401, 403, 422))
async def list_accounts(
    _: Admin, deps: Deps, response: Response, window: WindowDep, role: Role | None = None,
    status: AccountStatus | None = None, q: NamePart = None,
) -> list[OperatorAccountRead]:  # fmt: skip
    """Accounts of every role, newest first, by role, status and a part of the login or real name; the total is in
    the X-Total-Count header."""
    wanted = AccountFilter(role=role, status=status, search=q.strip() if q else None)
    page = await accounts.list_accounts(deps=deps, wanted=wanted, window=window)
    return items_of(page.map(OperatorAccountRead.listed), response)


@router.post("/accounts/{account_id}/disable", status_code=204, responses=problem_responses(401, 403, 404, 409, 422))
async def disable_account(
    account_id: AccountId, body: AccountDisable, admin: Admin, address: ClientAddress, deps: Deps
) -> None:
    """The account can no longer sign in or refresh; every service refuses its access tokens within seconds."""
    actor, now = Actor.of(admin, address), deps.clock.now()
    await accounts.disable_account(deps=deps, actor=actor, account_id=account_id, reason=body.reason, now=now)


@router.post(
    "/accounts/{account_id}/enable", response_model=AccountEnabled, responses=problem_responses(401, 403, 404, 409, 422)
)
async def enable_account(account_id: AccountId, admin: Admin, address: ClientAddress, deps: Deps) -> AccountEnabled:
    """A disabled account back at the step it was at; it signs in again (its old sessions stay ended)."""
    actor, now = Actor.of(admin, address), deps.clock.now()
    return AccountEnabled(status=await accounts.enable_account(deps=deps, actor=actor, account_id=account_id, now=now))


@router.post("/accounts/{account_id}/unlock", status_code=204, responses=problem_responses(401, 403, 404, 422))
async def unlock_account(account_id: AccountId, admin: Admin, address: ClientAddress, deps: Deps) -> None:
    """Lift the lock that too many wrong passwords put on the account: it may sign in again at once."""
    actor, now = Actor.of(admin, address), deps.clock.now()
    await accounts.unlock_account(deps=deps, actor=actor, account_id=account_id, now=now)


@router.post("/qualifications", status_code=204, responses=problem_responses(401, 403, 422))
async def add_qualification(body: QualificationCreate, admin: Admin, address: ClientAddress, deps: Deps) -> None:
    row = {k: (str(v) if v is not None else "") for k, v in body.model_dump().items()}
    await registry.load_qualification(deps=deps, actor=Actor.of(admin, address), row=row, now=deps.clock.now())


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


@router.post(
    "/token-keys/rotations", status_code=201, response_model=TokenKeyRotationRead, responses=problem_responses(401, 403)
)
async def rotate_token_key(admin: Admin, address: ClientAddress, deps: Deps) -> TokenKeyRotationRead:
    """Sign access tokens with a new key from now on; tokens the previous keys signed verify until they expire."""
    kid = await deps.issuer.rotate(uow=deps.uow(), actor=Actor.of(admin, address), now=deps.clock.now())
    published = await deps.issuer.jwks(uow=deps.uow())
    return TokenKeyRotationRead(kid=kid, published=[key["kid"] for key in published["keys"]])


@router.get("/audit-trail", response_model=list[AuditEntryRead], responses=problem_responses(401, 403, 422))
async def audit_trail(
    _: Admin, deps: Deps, response: Response, window: WindowDep, actor_id: UUID | None = None,
    action: OperatorAction | None = None, subject_id: UUID | None = None,
) -> list[AuditEntryRead]:  # fmt: skip
    """Who did what, when and from where, newest first; the total is in the X-Total-Count header."""
    query = AuditQuery(actor_id=actor_id, action=action, subject_id=subject_id)
    page = await audit.audit_trail(uow=deps.uow(), query=query, window=window)
    return items_of(page.map(AuditEntryRead.model_validate), response)
