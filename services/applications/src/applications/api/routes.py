"""HTTP API of applications: drafts of the eight types, photos, submission, withdrawal, history, the form."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response

from applications.api.schemas import ApplicationDraft, ApplicationRead, PhotoRead, Withdrawal, application_read
from applications.domain.photos import MAX_BYTES
from applications.service import drafts, forms, lifecycle, queries, submission
from contracts.enums import ApplicationType, Role
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import Principal, require_role
from regsys_runtime.clock import business_today
from regsys_runtime.problems import Problem, invalid_fields, problem_responses

router = APIRouter(tags=["applications"])

Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
Viewer = Annotated[Principal, Depends(require_role(Role.PHYSICIAN, Role.INSTITUTION_STAFF, Role.OFFICER))]


@router.post(
    "/applications", status_code=201, response_model=ApplicationRead, responses=problem_responses(401, 403, 409, 422)
)
async def create(body: ApplicationDraft, physician: Physician, rt: RuntimeDep) -> ApplicationRead:
    """Fill in an application of one of the eight types: a draft, refused at once if it cannot succeed."""
    row = await drafts.create_draft(
        uow=rt.uow(),
        physician=physician,
        kind=ApplicationType(body.application_type),
        details=body.details(),
        today=business_today(),
    )
    return application_read(row)


async def _photo_bytes(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise invalid_fields(("photo", f"The photo is larger than {MAX_BYTES} bytes (2 MiB)."))
    content = bytearray()
    async for chunk in request.stream():
        content += chunk
        if len(content) > MAX_BYTES:
            raise invalid_fields(("photo", f"The photo is larger than {MAX_BYTES} bytes (2 MiB)."))
    return bytes(content)


@router.put(
    "/applications/{application_id}/photo",
    response_model=PhotoRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in ("image/jpeg", "image/png")},
        }
    },
)
async def put_photo(application_id: UUID, request: Request, physician: Physician, rt: RuntimeDep) -> PhotoRead:
    """Upload the photo of a draft (the body is the JPEG or PNG file itself; its content decides, not its name)."""
    content = await _photo_bytes(request)
    sha256 = await drafts.upload_photo(
        uow=rt.uow(), physician=physician, application_id=application_id, content=content
    )
    return PhotoRead(sha256=sha256)


@router.post(
    "/applications/{application_id}/submission",
    response_model=ApplicationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def submit(application_id: UUID, physician: Physician, rt: RuntimeDep) -> ApplicationRead:
    row = await submission.submit(
        uow=rt.uow(), physician=physician, application_id=application_id, today=business_today()
    )
    return application_read(row)


@router.post(
    "/applications/{application_id}/withdrawal",
    response_model=ApplicationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def withdraw(application_id: UUID, body: Withdrawal, physician: Physician, rt: RuntimeDep) -> ApplicationRead:
    await lifecycle.withdraw(uow=rt.uow(), physician=physician, application_id=application_id, reason=body.reason)
    row, steps = await queries.application_for(uow=rt.uow(), viewer=physician, application_id=application_id)
    return application_read(row, steps)


@router.get("/applications", response_model=list[ApplicationRead], responses=problem_responses(401, 403))
async def mine(physician: Physician, rt: RuntimeDep) -> list[ApplicationRead]:
    return [application_read(r) for r in await queries.own_applications(uow=rt.uow(), physician=physician)]


@router.get(
    "/applications/{application_id}", response_model=ApplicationRead, responses=problem_responses(401, 403, 404)
)
async def one(application_id: UUID, viewer: Viewer, rt: RuntimeDep) -> ApplicationRead:
    """One application with its whole history: the owner, and its reviewers."""
    row, steps = await queries.application_for(uow=rt.uow(), viewer=viewer, application_id=application_id)
    return application_read(row, steps)


@router.get(
    "/applications/{application_id}/photo",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}, **problem_responses(401, 403, 404)},
)
async def photo(application_id: UUID, viewer: Viewer, rt: RuntimeDep) -> Response:
    """The photo, for the owner and the application's reviewers."""
    row = await queries.photo_for(uow=rt.uow(), viewer=viewer, application_id=application_id)
    return Response(row.content, media_type=row.media_type, headers={"Cache-Control": "private, no-store"})


@router.get(
    "/applications/{application_id}/form.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problem_responses(401, 403, 404)},
)
async def form(application_id: UUID, viewer: Viewer, rt: RuntimeDep) -> Response:
    """The printable business form (业务打印表单) as a PDF."""
    try:
        content = await forms.form_pdf(uow=rt.uow(), viewer=viewer, application_id=application_id)
    except ValueError as exc:
        raise Problem(422, "form-too-long", str(exc)) from None
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="application-{application_id}.pdf"'},
    )
