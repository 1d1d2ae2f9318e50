"""Activation requests: automatic activation grants at once; staff decide one until it is granted or declined."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from contracts.enums import Channel, PracticeCategory
from institutions.domain.activation import (
    InvalidChannel,
    RequestDecided,
    RequestStatus,
    check_code_channel,
    decide,
    received,
)

AT = datetime(2025, 3, 1, tzinfo=UTC)
NOW = datetime(2025, 3, 2, tzinfo=UTC)
STAFF = uuid.uuid4()


def request(*, automatic: bool = False):
    return received(
        account_id=uuid.uuid4(),
        institution_id=uuid.uuid4(),
        real_name="欧阳·明",
        id_number_masked="1101**********0011",
        category=PracticeCategory.CLINICAL,
        at=AT,
        automatic=automatic,
    )


def test_a_request_waits_for_staff_unless_the_institution_activates_automatically():
    waiting, granted = request(), request(automatic=True)
    assert (waiting.status, waiting.decided_at) == (RequestStatus.PENDING, None)
    assert (granted.status, granted.decided_at, granted.decided_by) == (RequestStatus.GRANTED, AT, None)


@pytest.mark.parametrize("status", [RequestStatus.PENDING, RequestStatus.CODE_SENT])
def test_staff_decide_a_request_still_open(status):
    decided = decide(
        replace(request(), status=status), RequestStatus.DECLINED, staff_id=STAFF, reason="不在本院", now=NOW
    )
    assert (decided.status, decided.decided_by, decided.decided_at, decided.reason) == (
        RequestStatus.DECLINED,
        STAFF,
        NOW,
        "不在本院",
    )


@pytest.mark.parametrize("status", [RequestStatus.GRANTED, RequestStatus.DECLINED])
def test_a_granted_or_declined_request_stays_so(status):
    with pytest.raises(RequestDecided) as refused:
        decide(replace(request(), status=status), RequestStatus.CODE_SENT, staff_id=STAFF, reason=None, now=NOW)
    assert refused.value.code == "request-decided"
    assert refused.value.detail == f"This request was {status.value} already."


def test_a_code_goes_by_sms_or_email_only():
    check_code_channel(Channel.SMS)
    check_code_channel(Channel.EMAIL)
    with pytest.raises(InvalidChannel) as refused:
        check_code_channel(Channel.INBOX)
    assert (refused.value.code, refused.value.detail, refused.value.fields) == (
        "invalid-channel",
        "An activation code goes by SMS or e-mail.",
        {},
    )
