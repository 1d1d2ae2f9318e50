"""Token-signing keys: the private half sealed, the public half published as a JWK."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.adapters.tables import signing_keys
from identity.domain.tokens import SigningKey
from regsys_runtime.sealing import Sealer

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
    """Every public key, newest first: retired keys stay, so that the tokens they signed verify until they expire."""
    query = select(signing_keys.c.public_jwk).order_by(signing_keys.c.created_at.desc())
    return [row.public_jwk for row in (await session.execute(query)).all()]


async def retire_signing_keys(session: AsyncSession) -> None:
    """No key signs any more (the caller adds the next one); every key stays published."""
    await session.execute(update(signing_keys).where(signing_keys.c.active).values(active=False))


async def add_signing_key(session: AsyncSession, *, row: dict[str, Any]) -> None:
    await session.execute(insert(signing_keys).values(**row))


async def reseal_signing_keys(session: AsyncSession, *, sealer: Sealer) -> int:
    """Seal again under the current secret every private key sealed under a previous one, so that after a rotation
    of IDENTITY_SECRET_KEY the previous secret can leave the ring; how many were re-sealed."""
    rows = (await session.execute(select(signing_keys.c.kid, signing_keys.c.private_key_cipher))).all()
    resealed = {row.kid: cipher for row in rows if (cipher := sealer.resealed(row.private_key_cipher)) is not None}
    for kid, cipher in resealed.items():
        await session.execute(update(signing_keys).where(signing_keys.c.kid == kid).values(private_key_cipher=cipher))
    return len(resealed)
