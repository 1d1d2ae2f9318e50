"""Activation requests: automatic activation grants at once; staff decide one until it is granted or declined."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from contracts.enums import ActivationMethod, Channel, PracticeCategory
from institutions.domain.activation import (
    InvalidChannel,
    RequestDecided,
    RequestStatus,
    activated,
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


# identity activated the account: the request reads granted, how and when (issue 12 item 12)

LATER = datetime(2025, 3, 3, tzinfo=UTC)


def code_sent():
    return decide(request(), RequestStatus.CODE_SENT, staff_id=STAFF, reason=None, now=NOW)


def test_activation_by_the_code_grants_the_request_and_keeps_who_sent_the_code():
    sent = code_sent()
    assert (sent.status, sent.method) == (RequestStatus.CODE_SENT, ActivationMethod.ACTIVATION_CODE)
    granted = activated(sent, method=ActivationMethod.ACTIVATION_CODE, institution_id=sent.institution_id, at=LATER)
    assert granted is not None
    assert (granted.status, granted.method, granted.activated_at) == (
        RequestStatus.GRANTED,
        ActivationMethod.ACTIVATION_CODE,
        LATER,
    )
    assert (granted.decided_by, granted.decided_at) == (STAFF, NOW)


def test_a_repeated_or_older_activation_changes_nothing():
    sent = code_sent()
    granted = activated(sent, method=ActivationMethod.ACTIVATION_CODE, institution_id=sent.institution_id, at=LATER)
    assert granted is not None
    for at in (LATER, NOW):
        assert activated(granted, method=ActivationMethod.AUTOMATIC, institution_id=sent.institution_id, at=at) is None


def test_an_activation_through_another_institution_leaves_this_request():
    sent = code_sent()
    assert activated(sent, method=ActivationMethod.ACTIVATION_CODE, institution_id=uuid.uuid4(), at=LATER) is None


def test_an_activation_by_the_code_grants_even_a_request_declined_after_the_code_went_out():
    declined = decide(code_sent(), RequestStatus.DECLINED, staff_id=STAFF, reason="非本院", now=NOW)
    granted = activated(
        declined, method=ActivationMethod.ACTIVATION_CODE, institution_id=declined.institution_id, at=LATER
    )
    assert granted is not None
    assert (granted.status, granted.reason) == (RequestStatus.GRANTED, None)


def test_a_certificate_code_activation_grants_only_the_requests_still_open():
    waiting = request()
    declined = decide(request(), RequestStatus.DECLINED, staff_id=STAFF, reason="非本院", now=NOW)
    granted = activated(waiting, method=ActivationMethod.QUALIFICATION_CODE, institution_id=None, at=LATER)
    assert granted is not None
    assert (granted.status, granted.method, granted.decided_by) == (
        RequestStatus.GRANTED,
        ActivationMethod.QUALIFICATION_CODE,
        None,
    )
    assert activated(declined, method=ActivationMethod.QUALIFICATION_CODE, institution_id=None, at=LATER) is None


def test_automatic_activation_says_so_from_the_start():
    assert request(automatic=True).method is ActivationMethod.AUTOMATIC
