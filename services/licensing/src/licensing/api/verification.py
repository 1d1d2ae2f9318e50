"""Checking licences (public, or in bulk for institutions and officers), the signing keys and the status lists."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response
from fastapi.responses import HTMLResponse

from licensing.api.deps import Admin, Checker, Deps, DocumentsLimit, VerificationLimit
from licensing.api.schemas import (
    MAX_DOCUMENT,
    BatchVerificationCreate,
    BatchVerificationRead,
    KeyRotationRead,
    VerificationCreate,
    VerificationRead,
    verification_read,
)
from licensing.api.verify_page import PAGE_HEADERS, verification_page
from licensing.domain.status_list import StatusPurpose
from licensing.service import licences, verification
from regsys_runtime.app import ClientAddress
from regsys_runtime.audit import Actor
from regsys_runtime.errors import InvalidFields, Message
from regsys_runtime.problems import problem_responses
from regsys_runtime.schemas import Text

router = APIRouter()
TAGS: list[str | Enum] = ["verification"]

STATUS_LIST_MEDIA_TYPE = "application/statuslist+jwt"


class WhichLicence(InvalidFields):
    def __init__(self) -> None:
        super().__init__(
            {
                "licence": Message("Send what the licence's QR code holds,", zh="请提交证照二维码中的内容，"),
                "licence_number": Message(
                    "or the licence number together with the name on it.", zh="或证照编号及证照上的姓名。"
                ),
            },
            detail=Message(
                "Say which licence to verify: its QR code content, or its number and name.",
                zh="请说明要核验的证照：二维码内容，或证照编号和姓名。",
            ),
        )


@router.post(
    "/licences/verifications",
    tags=TAGS,
    response_model=VerificationRead,
    summary="Verify a signed licence (public, no token; limited per client)",
    responses=problem_responses(422, 429),
    dependencies=[VerificationLimit],
)
async def verify(body: VerificationCreate, deps: Deps) -> dict[str, Any]:
    now = deps.clock.now()
    if body.licence and not (body.licence_number or body.name):
        result = await verification.verify(reads=deps.reads(), office=deps.office, document=body.licence, now=now)
    elif body.licence_number and body.name and not body.licence:
        result = await verification.verify_number_and_name(
            reads=deps.reads(), number=body.licence_number, name=body.name, now=now
        )
    else:
        raise WhichLicence()
    return verification_read(result)


@router.get(
    "/verify",
    response_class=HTMLResponse,
    tags=TAGS,
    summary="The public verification page (limited per client)",
    responses=problem_responses(422, 429),
    dependencies=[VerificationLimit],
)
async def verify_page(
    deps: Deps,
    licence: Annotated[Text | None, Query(max_length=MAX_DOCUMENT)] = None,
    number: Annotated[Text | None, Query(max_length=32)] = None,
    name: Annotated[Text | None, Query(max_length=50)] = None,
) -> HTMLResponse:
    result, now = None, deps.clock.now()
    if licence:
        result = await verification.verify(reads=deps.reads(), office=deps.office, document=licence, now=now)
    elif number and name:
        result = await verification.verify_number_and_name(
            reads=deps.reads(), number=number.strip(), name=name, now=now
        )
    return HTMLResponse(verification_page(result, licence or "", number or "", name or ""), headers=PAGE_HEADERS)


@router.get(
    "/V/{credential:path}",
    response_class=HTMLResponse,
    tags=TAGS,
    summary="The verification page a licence's QR code opens (limited per client)",
    responses=problem_responses(422, 429),
    dependencies=[VerificationLimit],
)
async def verify_page_of_qr_code(
    deps: Deps, credential: Annotated[str, Path(min_length=1, max_length=MAX_DOCUMENT)]
) -> HTMLResponse:
    """The address in the QR code, <base>/V/RL1:…: the same page as /verify, for the credential in the path."""
    now = deps.clock.now()
    result = await verification.verify(reads=deps.reads(), office=deps.office, document=credential, now=now)
    page = verification_page(result, credential, action="../verify")  # the credential holds no `/`: one level up
    return HTMLResponse(page, headers=PAGE_HEADERS)


@router.post(
    "/licences/batch-verifications",
    tags=TAGS,
    response_model=BatchVerificationRead,
    summary="Check many licence numbers at once (institutions, officers)",
    responses=problem_responses(401, 403, 422),
)
async def verify_batch(body: BatchVerificationCreate, checker: Checker, deps: Deps) -> dict[str, Any]:
    results = await verification.verify_numbers(reads=deps.reads(), numbers=body.licence_numbers, now=deps.clock.now())
    return {
        "results": [
            {"licence_number": number, **verification_read(result)}
            for number, result in zip(body.licence_numbers, results, strict=True)
        ]
    }


@router.get(
    "/.well-known/jwks.json",
    tags=TAGS,
    summary="The authority's licence-signing keys",
    responses=problem_responses(429),
    dependencies=[DocumentsLimit],
)
async def jwks(deps: Deps, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = f"public, max-age={deps.settings.status_list_max_age_seconds}"
    return await verification.key_set(uow=deps.uow())


@router.get(
    "/status-lists/{purpose}",
    tags=TAGS,
    response_class=Response,
    summary="A signed bitstring status list (revocation or suspension)",
    responses={
        200: {"content": {STATUS_LIST_MEDIA_TYPE: {}}},
        304: {"description": "your copy is current"},
        **problem_responses(422, 429),
    },
    dependencies=[DocumentsLimit],
)
async def status_list(
    purpose: StatusPurpose,
    deps: Deps,
    if_none_match: Annotated[str | None, Header(max_length=1024)] = None,
) -> Response:
    listed = await verification.status_list_document(
        uow=deps.uow(),
        redis=deps.redis,
        office=deps.office,
        purpose=purpose,
        now=deps.clock.now(),
        if_none_match=if_none_match,
    )
    headers = {"ETag": listed.etag, "Cache-Control": f"public, max-age={deps.settings.status_list_max_age_seconds}"}
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
async def rotate_key(admin: Admin, address: ClientAddress, deps: Deps) -> KeyRotationRead:
    """Sign licences with a new key from now on; the retired keys stay published, so what they signed verifies."""
    actor, now = Actor.of(admin, address), deps.clock.now()
    kid = await licences.rotate_signing_key(uow=deps.uow(), office=deps.office, actor=actor, now=now)
    published = await verification.key_set(uow=deps.uow())
    return KeyRotationRead(kid=kid, published=[k["kid"] for k in published["keys"]])
