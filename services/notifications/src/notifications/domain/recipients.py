"""Whom to tell: a person as the account read model knows them. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from contracts.enums import Role


@dataclass(frozen=True)
class Contact:
    """A person to tell, and how to reach them (either contact may be unknown)."""

    account_id: UUID
    role: Role
    real_name: str
    phone: str | None
    email: str | None
