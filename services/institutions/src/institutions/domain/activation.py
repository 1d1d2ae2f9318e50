"""Activation requests: a physician asks their institution to activate the account; staff send a code or decline.

Pure: a request arrives granted (the institution activates automatically) or pending, and staff may decide it
while it is pending or a code is out; a granted or declined request stays as it is until the physician asks again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from contracts.enums import Channel, PracticeCategory
from regsys_runtime.errors import Conflict, InvalidFields


class RequestStatus(StrEnum):
    PENDING = "pending"
    CODE_SENT = "code_sent"  # the physician enters the code at identity
    GRANTED = "granted"  # automatic activation
    DECLINED = "declined"


@dataclass(frozen=True)
class ActivationRequest:
    account_id: UUID
    institution_id: UUID
    real_name: str
    id_number_masked: str
    category: PracticeCategory | None
    status: RequestStatus
    requested_at: datetime
    decided_at: datetime | None = None
    decided_by: UUID | None = None  # staff account; none when automatic
    reason: str | None = None


class RequestDecided(Conflict):
    def __init__(self, status: RequestStatus) -> None:
        super().__init__("request-decided", f"This request was {status} already.")


class InvalidChannel(InvalidFields):
    def __init__(self) -> None:
        super().__init__({}, code="invalid-channel", detail="An activation code goes by SMS or e-mail.")


def check_code_channel(channel: Channel) -> None:
    if channel is Channel.INBOX:
        raise InvalidChannel()


def received(
    *,
    account_id: UUID,
    institution_id: UUID,
    real_name: str,
    id_number_masked: str,
    category: PracticeCategory | None,
    at: datetime,
    automatic: bool,
) -> ActivationRequest:
    """A new request, or one asked again (after a decline, or for a new code): it starts afresh."""
    return ActivationRequest(
        account_id=account_id, institution_id=institution_id, real_name=real_name,
        id_number_masked=id_number_masked, category=category,
        status=RequestStatus.GRANTED if automatic else RequestStatus.PENDING, requested_at=at,
        decided_at=at if automatic else None,
    )  # fmt: skip


def decide(
    request: ActivationRequest, status: RequestStatus, *, staff_id: UUID, reason: str | None, now: datetime
) -> ActivationRequest:
    if request.status in (RequestStatus.GRANTED, RequestStatus.DECLINED):
        raise RequestDecided(request.status)
    return replace(request, status=status, decided_at=now, decided_by=staff_id, reason=reason)
