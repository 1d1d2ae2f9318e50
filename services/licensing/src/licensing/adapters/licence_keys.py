"""The authority's signing keys and the signed documents they make: compact JWS (RFC 7515) with EdDSA.

A document is `base64url(header) . base64url(payload) . base64url(signature)`, the header naming the key
(`kid`) and the document type (`typ`). Private keys are sealed at rest; public keys are published as a JWK
set and kept after rotation, so that documents signed before a rotation still verify.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from licensing.adapters.tables import licence_signing_keys
from regsys_runtime.sealing import Sealer, new_signing_key, open_signing_key, public_key_of

ALGORITHM = "EdDSA"
_rotation_lock = text("SELECT pg_advisory_xact_lock(hashtext('licensing.licence_signing_keys'))")


class DocumentRejected(Exception):
    """A document that is not a genuine signed document of ours; `code` says why."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(part: str) -> bytes:
    """Strict base64url: only the alphabet, no padding, and only the one canonical spelling of the bytes
    (otherwise a changed last character could leave the decoded signature as it was)."""
    try:
        data = base64.b64decode(part + "=" * (-len(part) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DocumentRejected("malformed", "The document is not base64url-encoded.") from exc
    if b64url(data) != part:
        raise DocumentRejected("malformed", "The document is not in canonical base64url.")
    return data


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(payload: dict[str, Any], *, key: Ed25519PrivateKey, kid: str, typ: str) -> str:
    """A compact JWS of `payload`, signed with `key` and naming it by `kid`."""
    signing_input = f"{b64url(_json({'alg': ALGORITHM, 'kid': kid, 'typ': typ}))}.{b64url(_json(payload))}"
    return f"{signing_input}.{b64url(key.sign(signing_input.encode()))}"


@dataclass(frozen=True)
class Compact:
    """A compact JWS taken apart, its signature not yet checked."""

    header: dict[str, Any]
    protected: str
    payload: str
    signature: str

    @property
    def kid(self) -> str:
        return str(self.header["kid"])


def split(document: str) -> Compact:
    parts = document.strip().split(".")
    if len(parts) != 3 or not all(parts):
        raise DocumentRejected("malformed", "A signed document has three dot-separated parts.")
    try:
        header = json.loads(b64url_decode(parts[0]))
    except ValueError as exc:
        raise DocumentRejected("malformed", "The document's header is not JSON.") from exc
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
        raise DocumentRejected("malformed", "The document's header must name the EdDSA algorithm and a key id.")
    return Compact(header, parts[0], parts[1], parts[2])


def verify(compact: Compact, key: Ed25519PublicKey) -> dict[str, Any]:
    """The payload of a document whose signature `key` verifies; DocumentRejected otherwise."""
    try:
        key.verify(b64url_decode(compact.signature), f"{compact.protected}.{compact.payload}".encode())
    except InvalidSignature:
        raise DocumentRejected("signature-mismatch", "The signature does not match the document.") from None
    try:
        payload = json.loads(b64url_decode(compact.payload))
    except ValueError as exc:  # signed by us, so only if a key leaked
        raise DocumentRejected("malformed", "The document's payload is not JSON.") from exc
    if not isinstance(payload, dict):
        raise DocumentRejected("malformed", "The document's payload is not a JSON object.")
    return payload


class KeyRing:
    """The public keys by key id, cached in the process (keys never change; new ones appear on rotation)."""

    def __init__(self, *, min_refetch_seconds: float = 5.0) -> None:
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._fetched_at = float("-inf")
        self._min_refetch = min_refetch_seconds
        self._lock = asyncio.Lock()

    async def public_key(self, session: AsyncSession, kid: str) -> Ed25519PublicKey | None:
        """The key `kid`, fetching the published keys again when an unknown one appears (at most every few s)."""
        if kid not in self._keys and time.monotonic() - self._fetched_at > self._min_refetch:
            async with self._lock:
                if kid not in self._keys:
                    self._keys = {k["kid"]: public_key_of(k) for k in await published_keys(session)}
                    self._fetched_at = time.monotonic()
        return self._keys.get(kid)


async def ensure_key(session: AsyncSession, sealer: Sealer, now: datetime) -> None:
    """Create the first signing key if there is none (replicas racing here share the first one)."""
    await session.execute(_rotation_lock)
    if await active_key_row(session) is None:
        await session.execute(pg_insert(licence_signing_keys).values(**new_signing_key(sealer), created_at=now))


async def rotate(session: AsyncSession, sealer: Sealer, now: datetime) -> str:
    """A new active key; the previous ones retire from signing but stay published for verification."""
    await session.execute(_rotation_lock)
    await session.execute(
        update(licence_signing_keys).where(licence_signing_keys.c.active).values(active=False, retired_at=now)
    )
    row = new_signing_key(sealer)
    await session.execute(pg_insert(licence_signing_keys).values(**row, created_at=now))
    return str(row["kid"])


async def active_key_row(session: AsyncSession) -> Any:
    query = (
        select(licence_signing_keys)
        .where(licence_signing_keys.c.active)
        .order_by(licence_signing_keys.c.created_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).mappings().first()


async def signing_key(session: AsyncSession, sealer: Sealer) -> tuple[str, Ed25519PrivateKey]:
    row = await active_key_row(session)
    if row is None:
        raise RuntimeError("no active licence signing key; the service creates one at start")
    return row.kid, open_signing_key(sealer, row.private_key_cipher)


async def published_keys(session: AsyncSession) -> list[dict[str, Any]]:
    """Every public key, newest first: retired keys stay, so that what they signed still verifies."""
    query = select(licence_signing_keys.c.public_jwk).order_by(licence_signing_keys.c.created_at.desc())
    return [row.public_jwk for row in (await session.execute(query)).all()]
