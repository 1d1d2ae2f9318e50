from datetime import timedelta

import pytest

from notifications.domain.deliveries import SendFailure, backoff, gives_up, masked_contact


def test_backoff_doubles_from_the_base_and_stops_at_the_cap():
    waits = [backoff(n, base_seconds=5, max_seconds=60) for n in range(1, 7)]
    assert waits == [timedelta(seconds=s) for s in (5, 10, 20, 40, 60, 60)]


@pytest.mark.parametrize(
    ("attempt", "permanent", "expected"), [(1, False, False), (2, True, True), (3, False, True), (4, False, True)]
)
def test_a_delivery_gives_up_on_a_permanent_failure_or_its_last_attempt(attempt, permanent, expected):
    assert gives_up(attempt=attempt, max_attempts=3, failure=SendFailure("x", permanent=permanent)) is expected


@pytest.mark.parametrize(
    ("contact", "masked"),
    [("13912345678", "139****5678"), ("zhang.wei@example.cn", "z***@example.cn"), ("12", "***")],
)
def test_contacts_are_masked_for_logs(contact, masked):
    assert masked_contact(contact) == masked
