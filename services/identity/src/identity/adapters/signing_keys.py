"""Token-signing keys: the private half sealed, the public half published as a JWK."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from identity.adapters.tables import signing_keys
from identity.domain.tokens import SigningKey

_advisory_lock = text("SELECT pg_advisory_xact_lock(hashtext('identity.signing_keys'))")


async def lock_signing_keys(session: AsyncSession) -> None:
    """Until this transaction ends, no other replica changes the signing keys."""
    await session.execute(_advisory_lock)


async def active_signing_key(session: AsyncSession) -> SigningKey | None:
    query = (
        select(signing_keys.c.kid, signing_keys.c.private_key_cipher)
        .where(signing_keys.c.active)
        .order_by(signing_keys.c.created_at.desc())
    )
    row = (await session.execute(query)).first()
    return SigningKey(kid=row.kid, private_key_cipher=row.private_key_cipher) if row is not None else None


async def published_keys(session: AsyncSession) -> list[dict[str, Any]]:
    return [row.public_jwk for row in (await session.execute(select(signing_keys.c.public_jwk))).all()]


async def add_signing_key(session: AsyncSession, *, row: dict[str, Any]) -> None:
    await session.execute(insert(signing_keys).values(**row))
