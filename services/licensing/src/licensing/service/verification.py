"""Checking a licence: its signature, then the register's word on it; in bulk by number; offline by status list."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import redis.asyncio as aioredis

from contracts.enums import LicenceStatus
from licensing.adapters import licence_keys, licence_store
from licensing.domain import status_list
from licensing.domain.licence import Judgement, Verdict, judge
from licensing.domain.status_list import StatusPurpose
from licensing.service.licences import LICENCE_TYPE, LicenceOffice
from regsys_runtime.db import UnitOfWork

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
    licence: dict[str, Any] | None = None
    status_since: datetime | None = None
    current_licence_number: str | None = None
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _rejected(code: str, detail: str) -> Verification:
    return Verification(Verdict.BAD_SIGNATURE, code, detail)


async def verify(*, uow: UnitOfWork, office: LicenceOffice, document: str, now: datetime | None = None) -> Verification:
    """What a verifier is told of a signed licence: bad signature, unknown, revoked, suspended, expired or valid."""
    now = now or datetime.now(UTC)
    try:
        compact = licence_keys.split(document)
    except licence_keys.DocumentRejected as rejected:
        return _rejected(rejected.code, rejected.detail)
    async with office.verification_slots, uow:
        key = await office.keys.public_key(uow.session, compact.kid)
        if key is None:
            return _rejected("unknown-key", "The licence names a signing key the authority never published.")
        try:
            payload = licence_keys.verify(compact, key)
        except licence_keys.DocumentRejected as rejected:
            return _rejected(rejected.code, rejected.detail)
        if compact.header.get("typ") != LICENCE_TYPE or payload.get("iss") != office.settings.licence_issuer:
            return _rejected("not-a-licence", "The document is signed by the authority but is not a licence.")
        try:
            licence_id = UUID(str(payload.get("jti")))
        except ValueError:
            return _rejected("malformed", "The licence carries no licence id.")
        row = await licence_store.status_of(uow.session, licence_id)
    content = payload.get("licence") if isinstance(payload.get("licence"), dict) else None
    if row is None:
        return Verification(
            Verdict.UNKNOWN, "not-on-register", "The authority has no record of this licence.", licence=content
        )
    judgement = judge(
        status=LicenceStatus(row.status), status_reason=row.status_reason, expires_at=row.expires_at, now=now
    )
    return _verification(judgement, row, content)


def _verification(judgement: Judgement, row: Any, content: dict[str, Any] | None) -> Verification:
    return Verification(
        judgement.verdict,
        judgement.reason,
        judgement.detail,
        licence=content,
        status_since=row.status_changed_at,
        current_licence_number=row.superseded_by_number if "superseded_by_number" in row else None,
    )


async def verify_numbers(*, uow: UnitOfWork, numbers: Sequence[str], now: datetime | None = None) -> list[Verification]:
    """Institutions' and employers' check of many licence numbers at once, in the order asked."""
    now = now or datetime.now(UTC)
    async with uow:
        rows = {row.number: row for row in await licence_store.by_numbers(uow.session, numbers)}
        successor_ids = [r.superseded_by for r in rows.values() if r.superseded_by]
        successors = await licence_store.by_ids(uow.session, successor_ids)
    return [
        _by_number(rows[number], successors, now)
        if number in rows
        else Verification(Verdict.UNKNOWN, "unknown-number", f"No licence has the number {number}.")
        for number in numbers
    ]


async def verify_number_and_name(
    *, uow: UnitOfWork, number: str, name: str, now: datetime | None = None
) -> Verification:
    """Anyone's check of a licence by its number and the name on it (from a printed licence, say).

    The name is asked for so that numbers, which follow one another, cannot be walked to list physicians;
    a wrong name and an unknown number get the same answer."""
    [result] = await verify_numbers(uow=uow, numbers=[number], now=now)
    if result.licence is None or result.licence.get("name") != name.strip():
        return Verification(
            Verdict.UNKNOWN, "no-such-licence", "No licence has this number with this name; check both."
        )
    return result


def _by_number(row: Any, successors: dict[UUID, Any], now: datetime) -> Verification:
    judgement = judge(
        status=LicenceStatus(row.status), status_reason=row.status_reason, expires_at=row.expires_at, now=now
    )
    successor = successors.get(row.superseded_by) if row.superseded_by else None
    return Verification(
        judgement.verdict,
        judgement.reason,
        judgement.detail,
        licence=row.content,
        status_since=row.status_changed_at,
        current_licence_number=successor.number if successor else None,
    )


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
    if_none_match: str | None = None,
) -> StatusListDocument:
    """The signed status list of one purpose. It is built once per change of any licence's status and kept in
    Redis meanwhile; its ETag follows the bits, so a verifier's copy stays current until a bit changes."""
    async with uow:
        version = await licence_store.status_version(uow.session)
        cache_key = office.settings.redis_key("status-list", purpose.value, str(version))
        cached = await redis.get(cache_key)
        if cached:
            listed = json.loads(cached)
            etag, document = listed["etag"], listed["document"]
        else:
            etag, document = await _signed_status_list(uow, office, purpose)
            await redis.set(
                cache_key,
                json.dumps({"etag": etag, "document": document}),
                ex=office.settings.status_list_max_age_seconds,
            )
    if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
        return StatusListDocument(etag, None)
    return StatusListDocument(etag, document)


async def _signed_status_list(uow: UnitOfWork, office: LicenceOffice, purpose: StatusPurpose) -> tuple[str, str]:
    indexes, highest = await licence_store.set_indexes(uow.session, PURPOSE_STATUSES[purpose])
    bits = status_list.bitstring(indexes, status_list.list_length(highest))
    kid, key = await licence_keys.signing_key(uow.session, office.sealer)
    document = licence_keys.sign(_status_list_payload(office, purpose, bits), key=key, kid=kid, typ=STATUS_LIST_TYPE)
    return f'"{purpose.value}-{hashlib.sha256(bits).hexdigest()[:32]}"', document


def _status_list_payload(office: LicenceOffice, purpose: StatusPurpose, bits: bytes) -> dict[str, Any]:
    now = datetime.now(UTC)
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
        return {"keys": await licence_keys.published_keys(uow.session)}
