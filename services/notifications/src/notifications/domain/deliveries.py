"""Rules of delivery: states, backoff, what a failure means, and how contacts appear in logs. No I/O."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class SendFailure(Exception):
    """A provider did not take a message. A permanent failure is not retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def backoff(attempt: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """How long to wait after the given failed attempt (1, 2, ...): doubling from the base, capped."""
    return timedelta(seconds=min(max_seconds, base_seconds * 2 ** max(0, attempt - 1)))


def gives_up(*, attempt: int, max_attempts: int, failure: SendFailure) -> bool:
    return failure.permanent or attempt >= max_attempts


def masked_contact(contact: str) -> str:
    """A phone number or e-mail address as it may appear in a log: 139****5678, z***@example.cn."""
    if "@" in contact:
        local, _, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(contact) >= 7:
        return f"{contact[:3]}****{contact[-4:]}"
    return "***"
