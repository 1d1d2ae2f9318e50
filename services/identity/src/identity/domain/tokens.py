"""Refresh tokens and token-signing keys as identity keeps them. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class RefreshToken:
    """One token of a family: each use spends it and issues the next; a spent one coming back was stolen."""

    id: UUID
    family_id: UUID
    account_id: UUID
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    def ended(self, now: datetime) -> bool:
        return self.revoked_at is not None or self.expires_at <= now

    @property
    def spent(self) -> bool:
        return self.used_at is not None


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key_cipher: bytes  # the private half, sealed
