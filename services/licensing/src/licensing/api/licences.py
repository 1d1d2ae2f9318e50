"""HTTP API of the electronic licence: claim and show it, download it, verify it (public), keys and status lists."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy.engine import RowMapping

from contracts.enums import LicenceStatus, Role
from licensing.adapters import licence_documents
from licensing.api.verify_page import verification_page
from licensing.domain.licence import Verdict
from licensing.domain.status_list import StatusPurpose
from licensing.service import licences, verification
from licensing.service.licences import LicenceOffice
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import Principal, require_role
from regsys_runtime.problems import invalid_fields, problem_responses

router = APIRouter()

Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
Checker = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF, Role.OFFICER, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]

LICENCE_NUMBER = r"^DZ\d{17}$"
MAX_DOCUMENT = 8192
BATCH_LIMIT = 500
STATUS_LIST_MEDIA_TYPE = "application/statuslist+jwt"


async def licence_office(request: Request) -> LicenceOffice:  # async: no hop to the thread pool
    office: LicenceOffice = request.app.state.licence_office
    return office


OfficeDep = Annotated[LicenceOffice, Depends(licence_office)]


class InstitutionRead(BaseModel):
    name: str


class MultiSiteRead(BaseModel):
    name: str
    starts_on: date
    ends_on: date


class LicenceContentRead(BaseModel):
    """What the licence shows."""

    number: str
    edition: int
    name: str
    id_number_masked: str
    certificate_number: str
    category: str
    category_name: str
    practice_scope: str | None
    main_institution: InstitutionRead
    multi_sites: list[MultiSiteRead]
    photo_sha256: str | None
    issued_on: date
    expires_on: date
    issuer_name: str


class LicenceRead(BaseModel):
    licence_id: UUID
    number: str
    status: LicenceStatus
    status_reason: str | None
    status_changed_at: datetime
    issued_at: datetime
    expires_at: datetime
    content: LicenceContentRead
    document: str = Field(description="the signed licence (compact JWS, EdDSA), as the QR code carries it")
    verification_url: str


class VerificationRequest(BaseModel):
    """Either the signed licence (from its QR code), or its number and the name on it."""

    licence: str | None = Field(None, min_length=1, max_length=MAX_DOCUMENT, description="the signed licence (JWS)")
    licence_number: str | None = Field(None, pattern=LICENCE_NUMBER)
    name: str | None = Field(None, min_length=1, max_length=50, description="the physician's name on the licence")


class VerificationRead(BaseModel):
    result: Verdict
    reason: str = Field(description="a code saying why, e.g. active, practice-filed, deregistered, signature-mismatch")
    detail: str
    licence: LicenceContentRead | None = None
    status_since: datetime | None = None
    current_licence_number: str | None = Field(None, description="the edition that replaced a superseded licence")
    checked_at: datetime


class BatchVerificationRequest(BaseModel):
    licence_numbers: list[Annotated[str, Field(pattern=LICENCE_NUMBER)]] = Field(min_length=1, max_length=BATCH_LIMIT)


class NumberVerificationRead(VerificationRead):
    licence_number: str


class BatchVerificationRead(BaseModel):
    results: list[NumberVerificationRead]


class KeyRotationRead(BaseModel):
    kid: str
    published: list[str]


def licence_read(row: RowMapping, office: LicenceOffice) -> LicenceRead:
    return LicenceRead(
        licence_id=row.id,
        number=row.number,
        status=row.status,
        status_reason=row.status_reason,
        status_changed_at=row.status_changed_at,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        content=LicenceContentRead.model_validate(row.content),
        document=row.document,
        verification_url=office.verification_url(row.document),
    )


def verification_read(result: verification.Verification) -> dict[str, Any]:
    return {
        "result": result.verdict,
        "reason": result.reason,
        "detail": result.detail,
        "licence": result.licence,
        "status_since": result.status_since,
        "current_licence_number": result.current_licence_number,
        "checked_at": result.checked_at,
    }


@router.post(
    "/licences/me",
    response_model=LicenceRead,
    tags=["licence"],
    summary="Claim | show (申领|亮照)",
    responses={201: {"model": LicenceRead}, **problem_responses(401, 403, 409)},
)
async def claim(physician: Physician, rt: RuntimeDep, office: OfficeDep, response: Response) -> LicenceRead:
    row, issued = await licences.claim(uow=rt.uow(), office=office, account_id=physician.account_id)
    response.status_code = 201 if issued else 200
    return licence_read(row, office)


@router.get("/licences/me", response_model=LicenceRead, tags=["licence"], responses=problem_responses(401, 403, 404))
async def show(physician: Physician, rt: RuntimeDep, office: OfficeDep) -> LicenceRead:
    return licence_read(await licences.show(uow=rt.uow(), account_id=physician.account_id), office)


@router.get(
    "/licences/me/licence.png",
    tags=["licence"],
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **problem_responses(401, 403, 404)},
)
async def licence_png(physician: Physician, rt: RuntimeDep, office: OfficeDep) -> Response:
    sheet = await _sheet(physician, rt, office)
    return Response(await asyncio.to_thread(licence_documents.render_png, sheet), media_type="image/png")


@router.get(
    "/licences/me/licence.pdf",
    tags=["licence"],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problem_responses(401, 403, 404)},
)
async def licence_pdf(physician: Physician, rt: RuntimeDep, office: OfficeDep) -> Response:
    sheet = await _sheet(physician, rt, office)
    return Response(
        await asyncio.to_thread(licence_documents.render_pdf, sheet),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="licence.pdf"'},
    )


async def _sheet(physician: Principal, rt: Any, office: LicenceOffice) -> licence_documents.LicenceSheet:
    row = await licences.show(uow=rt.uow(), account_id=physician.account_id)
    return licence_documents.sheet(row.content, status=row.status, qr_text=office.verification_url(row.document))


@router.post(
    "/licences/verifications",
    response_model=VerificationRead,
    tags=["verification"],
    summary="Verify a signed licence (public, no token)",
    responses=problem_responses(422),
)
async def verify(body: VerificationRequest, rt: RuntimeDep, office: OfficeDep) -> dict[str, Any]:
    if body.licence and not (body.licence_number or body.name):
        result = await verification.verify(uow=rt.uow(), office=office, document=body.licence)
    elif body.licence_number and body.name and not body.licence:
        result = await verification.verify_number_and_name(uow=rt.uow(), number=body.licence_number, name=body.name)
    else:
        raise invalid_fields(
            ("licence", "Send the signed licence from the QR code,"),
            ("licence_number", "or the licence number together with the name on it."),
            detail="Say which licence to verify: its QR code content, or its number and name.",
        )
    return verification_read(result)


@router.get("/verify", response_class=HTMLResponse, tags=["verification"], summary="The public verification page")
async def verify_page(
    rt: RuntimeDep,
    office: OfficeDep,
    licence: Annotated[str | None, Query(max_length=MAX_DOCUMENT)] = None,
    number: Annotated[str | None, Query(max_length=32)] = None,
    name: Annotated[str | None, Query(max_length=50)] = None,
) -> HTMLResponse:
    result = None
    if licence:
        result = await verification.verify(uow=rt.uow(), office=office, document=licence)
    elif number and name:
        result = await verification.verify_number_and_name(uow=rt.uow(), number=number.strip(), name=name)
    return HTMLResponse(verification_page(result, licence or "", number or "", name or ""))


@router.post(
    "/licences/batch-verifications",
    response_model=BatchVerificationRead,
    tags=["verification"],
    summary="Check many licence numbers at once (institutions, officers)",
    responses=problem_responses(401, 403, 422),
)
async def verify_batch(body: BatchVerificationRequest, checker: Checker, rt: RuntimeDep) -> dict[str, Any]:
    results = await verification.verify_numbers(uow=rt.uow(), numbers=body.licence_numbers)
    return {
        "results": [
            {"licence_number": number, **verification_read(result)}
            for number, result in zip(body.licence_numbers, results, strict=True)
        ]
    }


@router.get("/.well-known/jwks.json", tags=["verification"], summary="The authority's licence-signing keys")
async def jwks(rt: RuntimeDep, office: OfficeDep, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = f"public, max-age={office.settings.status_list_max_age_seconds}"
    return await verification.key_set(uow=rt.uow())


@router.get(
    "/status-lists/{purpose}",
    tags=["verification"],
    response_class=Response,
    summary="A signed bitstring status list (revocation or suspension)",
    responses={200: {"content": {STATUS_LIST_MEDIA_TYPE: {}}}, 304: {"description": "your copy is current"}},
)
async def status_list(
    purpose: StatusPurpose,
    rt: RuntimeDep,
    office: OfficeDep,
    if_none_match: Annotated[str | None, Header(max_length=1024)] = None,
) -> Response:
    listed = await verification.status_list_document(
        uow=rt.uow(), redis=rt.redis, office=office, purpose=purpose, if_none_match=if_none_match
    )
    headers = {"ETag": listed.etag, "Cache-Control": f"public, max-age={office.settings.status_list_max_age_seconds}"}
    if listed.document is None:
        return Response(status_code=304, headers=headers)
    return Response(listed.document, media_type=STATUS_LIST_MEDIA_TYPE, headers=headers)


@router.post(
    "/admin/licence-keys/rotations",
    response_model=KeyRotationRead,
    status_code=201,
    tags=["admin"],
    responses=problem_responses(401, 403),
)
async def rotate_key(admin: Admin, rt: RuntimeDep, office: OfficeDep) -> KeyRotationRead:
    kid = await licences.rotate_signing_key(uow=rt.uow(), office=office)
    published = await verification.key_set(uow=rt.uow())
    return KeyRotationRead(kid=kid, published=[k["kid"] for k in published["keys"]])
