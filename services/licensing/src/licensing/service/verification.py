"""Checking a licence: its signature, then the register's word on it; in bulk by number; offline by status list."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import redis.asyncio as aioredis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from contracts.enums import LicenceStatus
from licensing.adapters import compact_licences, licences, signed_documents, signing_keys
from licensing.domain import status_list
from licensing.domain.licence import Judgement, Licence, Verdict, judge
from licensing.domain.status_list import StatusPurpose
from licensing.service.issuing import LICENCE_TYPE
from licensing.service.office import LicenceOffice
from regsys_runtime.db import Reads, UnitOfWork

STATUS_LIST_TYPE = "statuslist+jwt"

PURPOSE_STATUSES = {
    StatusPurpose.REVOCATION: (LicenceStatus.REVOKED, LicenceStatus.SUPERSEDED),
    StatusPurpose.SUSPENSION: (LicenceStatus.SUSPENDED,),
}


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    reason: str
    detail: str
    checked_at: datetime
    licence: Mapping[str, Any] | None = None
    status_since: datetime | None = None
    current_licence_number: str | None = None


def _rejected(code: str, detail: str, now: datetime) -> Verification:
    return Verification(Verdict.BAD_SIGNATURE, code, detail, now)


NOT_ON_REGISTER = "The authority has no record of this licence."


async def _published_key(reads: Reads, office: LicenceOffice, kid: str) -> Ed25519PublicKey:
    """The public key a licence names, or DocumentRejected `unknown-key` if the authority never published it."""
    key = await office.keys.public_key(reads.session, kid)
    if key is None:
        raise signed_documents.DocumentRejected(
            "unknown-key", "The licence names a signing key the authority never published."
        )
    return key


async def verify(*, reads: Reads, office: LicenceOffice, document: str, now: datetime) -> Verification:
    """What a verifier is told of a signed licence: bad signature, unknown, revoked, suspended, expired or valid.

    `document` is the whole signed licence (JWS) or what its QR code holds; both get the same verdict."""
    if compact_licences.is_credential(document):
        return await _verify_credential(reads=reads, office=office, text=document, now=now)
    try:
        compact = signed_documents.split(document)
    except signed_documents.DocumentRejected as rejected:
        return _rejected(rejected.code, rejected.detail, now)
    async with office.verification_slots, reads:
        try:
            payload = signed_documents.verify(compact, await _published_key(reads, office, compact.kid))
        except signed_documents.DocumentRejected as rejected:
            return _rejected(rejected.code, rejected.detail, now)
        if compact.header.get("typ") != LICENCE_TYPE or payload.get("iss") != office.settings.licence_issuer:
            return _rejected("not-a-licence", "The document is signed by the authority but is not a licence.", now)
        try:
            licence_id = UUID(str(payload.get("jti")))
        except ValueError:
            return _rejected("malformed", "The licence carries no licence id.", now)
        standing = await licences.standing(reads.session, licence_id=licence_id)
    content = payload.get("licence") if isinstance(payload.get("licence"), dict) else None
    if standing is None:
        return Verification(Verdict.UNKNOWN, "not-on-register", NOT_ON_REGISTER, now, licence=content)
    judgement = judge(
        status=standing.status, status_reason=standing.status_reason, expires_at=standing.expires_at, now=now
    )
    return _verification(judgement, now, content, standing.status_changed_at, standing.superseded_by_number)


async def _verify_credential(*, reads: Reads, office: LicenceOffice, text: str, now: datetime) -> Verification:
    """The QR code's credential: its signature offline, then the register's word on the licence it names."""
    try:
        sealed = compact_licences.unseal(text)
    except signed_documents.DocumentRejected as rejected:
        return _rejected(rejected.code, rejected.detail, now)
    async with office.verification_slots, reads:
        try:
            signed = compact_licences.verify(sealed, await _published_key(reads, office, sealed.kid))
        except signed_documents.DocumentRejected as rejected:
            return _rejected(rejected.code, rejected.detail, now)
        found = await licences.by_numbers(reads.session, numbers=[signed.number])
        successor_ids = [licence.superseded_by for licence in found if licence.superseded_by]
        successors = await licences.by_ids(reads.session, ids=successor_ids)
    if not found:
        return Verification(Verdict.UNKNOWN, "not-on-register", NOT_ON_REGISTER, now)
    return _by_number(found[0], successors, now)


def _verification(
    judgement: Judgement,
    now: datetime,
    content: Mapping[str, Any] | None,
    status_since: datetime,
    current_licence_number: str | None,
) -> Verification:
    return Verification(
        judgement.verdict,
        judgement.reason,
        judgement.detail,
        now,
        licence=content,
        status_since=status_since,
        current_licence_number=current_licence_number,
    )


async def verify_numbers(*, reads: Reads, numbers: Sequence[str], now: datetime) -> list[Verification]:
    """Institutions' and employers' check of many licence numbers at once, in the order asked."""
    async with reads:
        found = {licence.number: licence for licence in await licences.by_numbers(reads.session, numbers=numbers)}
        successor_ids = [licence.superseded_by for licence in found.values() if licence.superseded_by]
        successors = await licences.by_ids(reads.session, ids=successor_ids)
    return [
        _by_number(found[number], successors, now)
        if number in found
        else Verification(Verdict.UNKNOWN, "unknown-number", f"No licence has the number {number}.", now)
        for number in numbers
    ]


async def verify_number_and_name(*, reads: Reads, number: str, name: str, now: datetime) -> Verification:
    """Anyone's check of a licence by its number and the name on it (from a printed licence, say).

    The name is asked for so that numbers, which follow one another, cannot be walked to list physicians;
    a wrong name and an unknown number get the same answer."""
    [result] = await verify_numbers(reads=reads, numbers=[number], now=now)
    if result.licence is None or result.licence.get("name") != name.strip():
        detail = "No licence has this number with this name; check both."
        return Verification(Verdict.UNKNOWN, "no-such-licence", detail, now)
    return result


def _by_number(licence: Licence, successors: dict[UUID, Licence], now: datetime) -> Verification:
    judgement = judge(
        status=licence.status, status_reason=licence.status_reason, expires_at=licence.expires_at, now=now
    )
    successor = successors.get(licence.superseded_by) if licence.superseded_by else None
    number = successor.number if successor else None
    return _verification(judgement, now, licence.content, licence.status_changed_at, number)


@dataclass(frozen=True)
class StatusListDocument:
    etag: str
    document: str | None  # None when the verifier's copy is current (If-None-Match matched)


async def status_list_document(
    *,
    uow: UnitOfWork,
    redis: aioredis.Redis,
    office: LicenceOffice,
    purpose: StatusPurpose,
    now: datetime,
    if_none_match: str | None = None,
) -> StatusListDocument:
    """The signed status list of one purpose. It is built once per change of any licence's status and kept in
    Redis meanwhile; its ETag follows the bits, so a verifier's copy stays current until a bit changes."""
    async with uow:
        version = await licences.status_version(uow.session)
        cache_key = office.settings.redis_key("status-list", purpose.value, str(version))
        if cached := await redis.get(cache_key):
            listed = json.loads(cached)
            etag, document = listed["etag"], listed["document"]
        else:
            etag, document = await _signed_status_list(uow, office, purpose, now)
            listed = json.dumps({"etag": etag, "document": document})
            await redis.set(cache_key, listed, ex=office.settings.status_list_max_age_seconds)
    if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
        return StatusListDocument(etag, None)
    return StatusListDocument(etag, document)


async def _signed_status_list(
    uow: UnitOfWork, office: LicenceOffice, purpose: StatusPurpose, now: datetime
) -> tuple[str, str]:
    indexes, highest = await licences.set_indexes(uow.session, statuses=PURPOSE_STATUSES[purpose])
    bits = status_list.bitstring(indexes, status_list.list_length(highest))
    kid, key = await signing_keys.signing_key(uow.session, sealer=office.sealer)
    payload = _status_list_payload(office, purpose, bits, now)
    document = signed_documents.sign(payload, key=key, kid=kid, typ=STATUS_LIST_TYPE)
    return f'"{purpose.value}-{hashlib.sha256(bits).hexdigest()[:32]}"', document


def _status_list_payload(office: LicenceOffice, purpose: StatusPurpose, bits: bytes, now: datetime) -> dict[str, Any]:
    url = office.status_list_url(purpose)
    return {
        "iss": office.settings.licence_issuer,
        "sub": url,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=office.settings.status_list_validity_hours)).timestamp()),
        "ttl": office.settings.status_list_max_age_seconds,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose.value,
            "encodedList": status_list.encode(bits),
        },
    }


async def key_set(*, uow: UnitOfWork) -> dict[str, Any]:
    """The published licence-signing keys (JWKS): current and retired."""
    async with uow:
        return {"keys": await signing_keys.published_keys(uow.session)}
