"""Refresh tokens at rest: only a digest of the secret half is stored."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.adapters.tables import refresh_tokens
from identity.domain.tokens import RefreshToken


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def split(token: str) -> tuple[UUID, str] | None:
    token_id, _, secret = token.partition(".")
    try:
        return UUID(token_id), secret
    except ValueError:
        return None


async def add(session: AsyncSession, *, account_id: UUID, family_id: UUID, expires_at: datetime) -> str:
    token_id, secret = uuid.uuid4(), secrets.token_urlsafe(32)
    await session.execute(
        insert(refresh_tokens).values(
            id=token_id,
            family_id=family_id,
            account_id=account_id,
            secret_digest=_digest(secret),
            expires_at=expires_at,
        )
    )
    return f"{token_id}.{secret}"


async def locked(session: AsyncSession, *, token: str) -> RefreshToken | None:
    """The token, its row locked for this transaction, if the token is genuine."""
    parts = split(token)
    if parts is None:
        return None
    query = select(refresh_tokens).where(refresh_tokens.c.id == parts[0]).with_for_update()
    row = (await session.execute(query)).mappings().first()
    if row is None or not secrets.compare_digest(row.secret_digest, _digest(parts[1])):
        return None
    return RefreshToken(
        id=row.id, family_id=row.family_id, account_id=row.account_id, expires_at=row.expires_at,
        used_at=row.used_at, revoked_at=row.revoked_at,
    )  # fmt: skip


async def spend(session: AsyncSession, *, token_id: UUID, at: datetime) -> None:
    await session.execute(update(refresh_tokens).where(refresh_tokens.c.id == token_id).values(used_at=at))


async def revoke_family(session: AsyncSession, *, family_id: UUID, at: datetime) -> None:
    query = update(refresh_tokens).where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
    await session.execute(query.values(revoked_at=at))


async def revoke_account(session: AsyncSession, *, account_id: UUID, at: datetime) -> None:
    query = update(refresh_tokens).where(
        refresh_tokens.c.account_id == account_id, refresh_tokens.c.revoked_at.is_(None)
    )
    await session.execute(query.values(revoked_at=at))
