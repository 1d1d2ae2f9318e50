"""The authority's signing keys: private keys sealed at rest, public keys published as a JWK set.

Public keys are kept after rotation, so that documents signed before a rotation still verify.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from licensing.adapters.tables import licence_signing_keys
from regsys_runtime.sealing import Sealer, new_signing_key, open_signing_key, public_key_of

_rotation_lock = text("SELECT pg_advisory_xact_lock(hashtext('licensing.licence_signing_keys'))")


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


async def ensure_key(session: AsyncSession, *, sealer: Sealer, now: datetime) -> int:
    """Create the first signing key if there is none (replicas racing here share the first one), and re-seal under
    the current secret the keys a previous one sealed; how many were re-sealed."""
    await session.execute(_rotation_lock)
    if await _active_key(session) is None:
        await session.execute(pg_insert(licence_signing_keys).values(**new_signing_key(sealer), created_at=now))
    return await _reseal(session, sealer=sealer)


async def _reseal(session: AsyncSession, *, sealer: Sealer) -> int:
    """After a rotation of LICENSING_SECRET_KEY, every private key (retired ones too) sealed under the current
    secret, so that the previous secret can leave the ring."""
    table = licence_signing_keys
    rows = (await session.execute(select(table.c.kid, table.c.private_key_cipher))).all()
    resealed = {row.kid: cipher for row in rows if (cipher := sealer.resealed(row.private_key_cipher)) is not None}
    for kid, cipher in resealed.items():
        await session.execute(update(table).where(table.c.kid == kid).values(private_key_cipher=cipher))
    return len(resealed)


async def rotate(session: AsyncSession, *, sealer: Sealer, now: datetime) -> str:
    """A new active key; the previous ones retire from signing but stay published for verification."""
    await session.execute(_rotation_lock)
    await session.execute(
        update(licence_signing_keys).where(licence_signing_keys.c.active).values(active=False, retired_at=now)
    )
    row = new_signing_key(sealer)
    await session.execute(pg_insert(licence_signing_keys).values(**row, created_at=now))
    return str(row["kid"])


async def _active_key(session: AsyncSession) -> Any:
    query = (
        select(licence_signing_keys.c.kid, licence_signing_keys.c.private_key_cipher)
        .where(licence_signing_keys.c.active)
        .order_by(licence_signing_keys.c.created_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).first()


async def signing_key(session: AsyncSession, *, sealer: Sealer) -> tuple[str, Ed25519PrivateKey]:
    """The active key's id and the key itself, unsealed."""
    row = await _active_key(session)
    if row is None:
        raise RuntimeError("no active licence signing key; the service creates one at start")
    return row.kid, open_signing_key(sealer, row.private_key_cipher)


async def published_keys(session: AsyncSession) -> list[dict[str, Any]]:
    """Every public key, newest first: retired keys stay, so that what they signed still verifies."""
    query = select(licence_signing_keys.c.public_jwk).order_by(licence_signing_keys.c.created_at.desc())
    return [row.public_jwk for row in (await session.execute(query)).all()]
