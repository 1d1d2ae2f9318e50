"""What an attempt leaves on its delivery: sent or failed for good is final and erases a code; else a retry."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from contracts.enums import Channel
from notifications.domain.deliveries import (
    ERASED,
    Delivery,
    DeliveryStatus,
    RetryPolicy,
    SendFailure,
    not_sent,
    sent,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
POLICY = RetryPolicy(max_attempts=3, backoff_seconds=5, backoff_max_seconds=60, lease_seconds=120)


def delivery(*, attempts: int = 1, sensitive: bool = False, expires_at: datetime | None = None) -> Delivery:
    return Delivery(
        id=uuid.uuid4(),
        cause_event_id=uuid.uuid4(),
        correlation_id="c",
        account_id=None,
        channel=Channel.EMAIL,
        recipient="a@example.cn",
        template="code.verify_email",
        subject="s",
        body="code 123456",
        sensitive=sensitive,
        attempts=attempts,
        expires_at=expires_at,
    )


@pytest.mark.parametrize("sensitive", [True, False])
def test_a_sent_delivery_is_final_and_a_code_in_it_is_erased(sensitive):
    outcome = sent(delivery(sensitive=sensitive), provider_message_id="m-1", now=NOW)
    assert (outcome.status, outcome.final, outcome.finished_at) == (DeliveryStatus.SENT, True, NOW)
    assert outcome.provider_message_id == "m-1"
    assert outcome.next_attempt_at is None
    assert outcome.body == (ERASED if sensitive else None)


def test_a_transient_failure_before_the_last_attempt_waits_its_backoff_and_keeps_the_body():
    outcome = not_sent(delivery(attempts=2, sensitive=True), SendFailure("busy"), policy=POLICY, now=NOW)
    assert (outcome.status, outcome.final) == (DeliveryStatus.PENDING, False)
    assert outcome.next_attempt_at == NOW + timedelta(seconds=10)
    assert (outcome.last_error, outcome.body, outcome.finished_at) == ("busy", None, None)


@pytest.mark.parametrize(
    ("attempts", "failure"), [(3, SendFailure("busy")), (1, SendFailure("no such mailbox", permanent=True))]
)
def test_the_last_attempt_or_a_permanent_refusal_fails_for_good_with_the_reason(attempts, failure):
    outcome = not_sent(delivery(attempts=attempts, sensitive=True), failure, policy=POLICY, now=NOW)
    assert (outcome.status, outcome.final, outcome.finished_at) == (DeliveryStatus.FAILED, True, NOW)
    assert outcome.last_error == failure.reason
    assert outcome.next_attempt_at is None
    assert outcome.body == ERASED


def test_a_code_past_its_expiry_is_not_worth_sending():
    assert delivery(expires_at=NOW).expired(NOW)
    assert not delivery(expires_at=NOW + timedelta(seconds=1)).expired(NOW)
    assert not delivery(expires_at=None).expired(NOW)
