"""Activation requests: a physician asks their institution to activate the account; staff send a code or decline.

Pure: a request arrives granted (the institution activates automatically) or pending, and staff may decide it
while it is pending or a code is out; a granted or declined request stays as it is until the physician asks again.
When identity activates the account, the request it answers reads granted, with how and when (`activated`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from contracts.enums import ActivationMethod, Channel, PracticeCategory
from institutions.domain.reasons import optional_reason
from regsys_runtime.errors import Conflict, InvalidField, InvalidFields, Message


class RequestStatus(StrEnum):
    PENDING = "pending"
    CODE_SENT = "code_sent"  # the physician enters the code at identity
    GRANTED = "granted"  # automatic activation, or the account was activated
    DECLINED = "declined"


OPEN = (RequestStatus.PENDING, RequestStatus.CODE_SENT)
REQUEST_WORDS = {
    RequestStatus.PENDING: "待处理", RequestStatus.CODE_SENT: "发送激活码", RequestStatus.GRANTED: "激活",
    RequestStatus.DECLINED: "不予激活",
}  # fmt: skip


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
    decided_by: UUID | None = None  # the staff who sent the code or declined; none when automatic
    reason: str | None = None
    method: ActivationMethod | None = None  # how it was granted: by code, automatically, by certificate code
    activated_at: datetime | None = None  # when identity activated the account


class RequestDecided(Conflict):
    def __init__(self, status: RequestStatus) -> None:
        super().__init__(
            "request-decided", Message(f"This request was {status} already.", zh=f"该申请已{REQUEST_WORDS[status]}。")
        )


class InvalidChannel(InvalidFields):
    def __init__(self) -> None:
        super().__init__(
            {},
            code="invalid-channel",
            detail=Message("An activation code goes by SMS or e-mail.", zh="激活码只能通过短信或电子邮件发送。"),
        )


class DeclineReasonRequired(InvalidField):
    def __init__(self) -> None:
        super().__init__(
            "reason",
            Message("Say why the activation is declined.", zh="请填写不予激活的原因。"),
            detail=Message("Declining needs a reason.", zh="不予激活需要填写原因。"),
        )


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
        decided_at=at if automatic else None, method=ActivationMethod.AUTOMATIC if automatic else None,
    )  # fmt: skip


def decide(
    request: ActivationRequest, status: RequestStatus, *, staff_id: UUID, reason: str | None, now: datetime
) -> ActivationRequest:
    if request.status not in OPEN:
        raise RequestDecided(request.status)
    reason = optional_reason("reason", reason)
    if status is RequestStatus.DECLINED and reason is None:
        raise DeclineReasonRequired()
    method = ActivationMethod.ACTIVATION_CODE if status is RequestStatus.CODE_SENT else None
    return replace(request, status=status, decided_at=now, decided_by=staff_id, reason=reason, method=method)


def activated(
    request: ActivationRequest, *, method: ActivationMethod, institution_id: UUID | None, at: datetime
) -> ActivationRequest | None:
    """The request once identity activated the account at `at`; None if the activation does not change it.

    An activation through an institution (its code, its automatic activation) grants that institution's request
    whatever staff did last: the account is active. One without (the certificate code of a TCM-specialty
    physician) grants the requests still open. A request keeps the newest activation it has seen: an older or
    repeated one changes nothing.
    """
    if institution_id is None and request.status not in OPEN:
        return None
    if institution_id is not None and request.institution_id != institution_id:
        return None
    if request.activated_at is not None and request.activated_at >= at:
        return None
    return replace(request, status=RequestStatus.GRANTED, method=method, activated_at=at, reason=None)
