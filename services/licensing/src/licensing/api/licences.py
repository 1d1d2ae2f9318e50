"""The physician's electronic licence: claim and show it, download it as a picture or a printable document."""

from __future__ import annotations

from fastapi import APIRouter, Response

from licensing.api.deps import Deps, Physician
from licensing.api.schemas import LicenceRead, licence_read
from licensing.service import licences
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["licence"])


@router.post(
    "/licences/me",
    response_model=LicenceRead,
    summary="Claim | show (申领|亮照)",
    responses={201: {"model": LicenceRead}, **problem_responses(401, 403, 409)},
)
async def claim(physician: Physician, deps: Deps, response: Response) -> LicenceRead:
    licence, issued = await licences.claim(
        uow=deps.uow(), office=deps.office, account_id=physician.account_id, now=deps.clock.now()
    )
    response.status_code = 201 if issued else 200
    return licence_read(licence, deps.office.verification_url(licence))


@router.get("/licences/me", response_model=LicenceRead, responses=problem_responses(401, 403, 404))
async def show(physician: Physician, deps: Deps) -> LicenceRead:
    licence = await licences.show(uow=deps.uow(), account_id=physician.account_id)
    return licence_read(licence, deps.office.verification_url(licence))


@router.get(
    "/licences/me/licence.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **problem_responses(401, 403, 404)},
)
async def licence_png(physician: Physician, deps: Deps) -> Response:
    png = await licences.licence_png(uow=deps.uow(), office=deps.office, account_id=physician.account_id)
    return Response(png, media_type="image/png")


@router.get(
    "/licences/me/licence.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problem_responses(401, 403, 404)},
)
async def licence_pdf(physician: Physician, deps: Deps) -> Response:
    pdf = await licences.licence_pdf(uow=deps.uow(), office=deps.office, account_id=physician.account_id)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": 'attachment; filename="licence.pdf"'}
    )
