"""The photo of an application: uploaded with the draft, shown to the owner and the reviewers."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from applications.api.deps import Deps, Physician, Viewer
from applications.api.schemas import PhotoRead
from applications.domain.photos import MAX_BYTES
from applications.service import drafts, queries
from regsys_runtime.errors import InvalidFields, Message
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["applications"])


def _too_large() -> InvalidFields:
    return InvalidFields(
        {"photo": Message(f"The photo is larger than {MAX_BYTES} bytes (2 MiB).", zh="照片不能超过 2 MiB。")}
    )


async def _photo_bytes(request: Request) -> bytes:
    """The body, read no further than the limit (whatever Content-Length claims)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise _too_large()
    content = bytearray()
    async for chunk in request.stream():
        content += chunk
        if len(content) > MAX_BYTES:
            raise _too_large()
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
async def put_photo(application_id: UUID, request: Request, physician: Physician, deps: Deps) -> PhotoRead:
    """Upload the photo of a draft (the body is the JPEG or PNG file itself; its content decides, not its name)."""
    content = await _photo_bytes(request)
    sha256 = await drafts.upload_photo(
        uow=deps.uow(), physician=physician, application_id=application_id, content=content, now=deps.clock.now()
    )
    return PhotoRead(sha256=sha256)


@router.get(
    "/applications/{application_id}/photo",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}, **problem_responses(401, 403, 404, 422)},
)
async def photo(application_id: UUID, viewer: Viewer, deps: Deps) -> Response:
    """The photo, for the owner and the application's reviewers."""
    found = await queries.photo_for(uow=deps.uow(), viewer=viewer, application_id=application_id)
    return Response(found.content, media_type=found.media_type, headers={"Cache-Control": "private, no-store"})
