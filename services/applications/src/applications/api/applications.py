"""Filing an application of one of the eight types, submitting and withdrawing it, and reading it back."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from applications.api.deps import Deps, Physician, Viewer
from applications.api.schemas import ApplicationDraft, ApplicationRead, Withdrawal, application_read
from applications.service import drafts, lifecycle, queries, submission
from contracts.enums import ApplicationType
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["applications"])


@router.post(
    "/applications", status_code=201, response_model=ApplicationRead, responses=problem_responses(401, 403, 409, 422)
)
async def create(body: ApplicationDraft, physician: Physician, deps: Deps) -> ApplicationRead:
    """Fill in an application of one of the eight types: a draft, refused at once if it cannot succeed."""
    draft = await drafts.create_draft(
        uow=deps.uow(),
        physician=physician,
        kind=ApplicationType(body.application_type),
        details=body.details(),
        today=deps.clock.today(),
        now=deps.clock.now(),
    )
    return application_read(draft)


@router.post(
    "/applications/{application_id}/submission",
    response_model=ApplicationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def submit(application_id: UUID, physician: Physician, deps: Deps) -> ApplicationRead:
    submitted = await submission.submit(
        uow=deps.uow(),
        physician=physician,
        application_id=application_id,
        today=deps.clock.today(),
        now=deps.clock.now(),
    )
    return application_read(submitted)


@router.post(
    "/applications/{application_id}/withdrawal",
    response_model=ApplicationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def withdraw(application_id: UUID, body: Withdrawal, physician: Physician, deps: Deps) -> ApplicationRead:
    """Withdraw: a draft at once; a submitted application once its institution settles the request
    (`withdrawal_requested_at` meanwhile). Refused (409) once the institution has decided."""
    await lifecycle.withdraw(
        uow=deps.uow(), physician=physician, application_id=application_id, reason=body.reason, now=deps.clock.now()
    )
    application, steps = await queries.application_for(uow=deps.uow(), viewer=physician, application_id=application_id)
    return application_read(application, steps)


@router.get("/applications", response_model=list[ApplicationRead], responses=problem_responses(401, 403))
async def mine(physician: Physician, deps: Deps) -> list[ApplicationRead]:
    return [application_read(a) for a in await queries.own_applications(uow=deps.uow(), physician=physician)]


@router.get(
    "/applications/{application_id}", response_model=ApplicationRead, responses=problem_responses(401, 403, 404, 422)
)
async def one(application_id: UUID, viewer: Viewer, deps: Deps) -> ApplicationRead:
    """One application with its whole history: the owner, and its reviewers."""
    application, steps = await queries.application_for(uow=deps.uow(), viewer=viewer, application_id=application_id)
    return application_read(application, steps)
