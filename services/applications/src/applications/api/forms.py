"""The printable business form (业务打印表单) of an application."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from applications.api.deps import Deps, Viewer
from applications.service import forms
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["applications"])


@router.get(
    "/applications/{application_id}/form.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problem_responses(401, 403, 404, 422)},
)
async def form(application_id: UUID, viewer: Viewer, deps: Deps) -> Response:
    """The printable business form (业务打印表单) as a PDF."""
    content = await forms.form_pdf(uow=deps.uow(), viewer=viewer, application_id=application_id)
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="application-{application_id}.pdf"'},
    )
