"""Rules of delivery: states, backoff, what a failure means, and how contacts appear in logs. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from contracts.enums import Channel

ERASED = "[erased after delivery]"


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


@dataclass(frozen=True)
class Delivery:
    """One message to send on one channel to one recipient, as a worker claimed it for its next attempt."""

    id: UUID
    cause_event_id: UUID
    correlation_id: str
    account_id: UUID | None
    channel: Channel
    recipient: str
    template: str
    subject: str
    body: str
    sensitive: bool  # carries a code or a link: the body is erased once the delivery is final
    attempts: int  # including the attempt under way
    expires_at: datetime | None
    params: Mapping[str, str] = field(default_factory=dict)  # the facts of an SMS, for template providers

    def expired(self, now: datetime) -> bool:
        """A code or link past its expiry is no longer worth sending."""
        return self.expires_at is not None and self.expires_at <= now


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff_seconds: float
    backoff_max_seconds: float
    lease_seconds: float


@dataclass(frozen=True)
class Outcome:
    """What an attempt leaves on its delivery; a field left None is left as it was."""

    status: DeliveryStatus
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    provider_message_id: str | None = None
    finished_at: datetime | None = None
    body: str | None = None

    @property
    def final(self) -> bool:
        return self.status is not DeliveryStatus.PENDING


def backoff(attempt: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """How long to wait after the given failed attempt (1, 2, ...): doubling from the base, capped."""
    return timedelta(seconds=min(max_seconds, base_seconds * 2 ** max(0, attempt - 1)))


def gives_up(*, attempt: int, max_attempts: int, failure: SendFailure) -> bool:
    return failure.permanent or attempt >= max_attempts


def sent(delivery: Delivery, *, provider_message_id: str, now: datetime) -> Outcome:
    """The provider took the message: the delivery is final, and a code or link in it is erased."""
    return Outcome(
        DeliveryStatus.SENT,
        provider_message_id=provider_message_id,
        finished_at=now,
        body=ERASED if delivery.sensitive else None,
    )


def not_sent(delivery: Delivery, failure: SendFailure, *, policy: RetryPolicy, now: datetime) -> Outcome:
    """The provider did not take it: retried after the backoff, or failed for good with the reason."""
    if not gives_up(attempt=delivery.attempts, max_attempts=policy.max_attempts, failure=failure):
        wait = backoff(delivery.attempts, base_seconds=policy.backoff_seconds, max_seconds=policy.backoff_max_seconds)
        return Outcome(DeliveryStatus.PENDING, next_attempt_at=now + wait, last_error=failure.reason)
    return Outcome(
        DeliveryStatus.FAILED,
        last_error=failure.reason,
        finished_at=now,
        body=ERASED if delivery.sensitive else None,
    )


def masked_contact(contact: str) -> str:
    """A phone number or e-mail address as it may appear in a log: 139****5678, z***@example.cn."""
    if "@" in contact:
        local, _, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(contact) >= 7:
        return f"{contact[:3]}****{contact[-4:]}"
    return "***"
