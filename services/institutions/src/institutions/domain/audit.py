"""The audit trail: every action staff and operators take in institutions, who took it, when and from where.

Append-only: an entry is written in the same transaction as the action it records (so there is no action without
its entry, and no entry for an action that did not happen), and never changed or deleted afterwards.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from contracts.enums import Role


class AuditAction(StrEnum):
    INSTITUTION_LOADED = "institution.loaded"
    INSTITUTION_UPDATED = "institution.updated"  # by an import, the credit code already loaded
    INSTITUTION_EDITED = "institution.edited"
    AUTO_ACTIVATION_SWITCHED = "institution.auto_activation_switched"
    ACTIVATION_CODE_SENT = "activation.code_sent"
    ACTIVATION_DECLINED = "activation.declined"
    REVIEW_DECIDED = "review.decided"
    ROSTER_EXPORTED = "roster.exported"


@dataclass(frozen=True)
class Actor:
    """Who acts, and the client address the request came from (as the gateway saw it)."""

    account_id: UUID
    role: Role
    address: str | None


@dataclass(frozen=True)
class AuditEntry:
    id: UUID
    at: datetime
    actor_id: UUID
    actor_role: Role
    address: str | None
    action: AuditAction
    institution_id: UUID | None  # the institution whose object it was
    subject_id: UUID | None  # what was acted on: an institution, a physician's account, a review task
    details: dict[str, Any] = field(default_factory=dict)


def entry(
    actor: Actor,
    action: AuditAction,
    *,
    at: datetime,
    institution_id: UUID | None,
    subject_id: UUID | None,
    **details: Any,
) -> AuditEntry:
    return AuditEntry(
        id=uuid.uuid4(), at=at, actor_id=actor.account_id, actor_role=actor.role, address=actor.address,
        action=action, institution_id=institution_id, subject_id=subject_id, details=details,
    )  # fmt: skip


@dataclass(frozen=True)
class AuditQuery:
    """Which entries to read: all, or those of one institution, one actor, one action."""

    institution_id: UUID | None = None
    actor_id: UUID | None = None
    action: AuditAction | None = None
