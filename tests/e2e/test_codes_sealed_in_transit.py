"""Issue 13 item 1, end to end: a one-time code reaches the physician readable, and is never readable on the way, in
identity's outbox or on the broker; the stack runs with CODE_DELIVERY_KEY set in identity and notifications, as
production must."""

import pytest

from contracts import ContractError, Envelope, Event
from contracts.identity.v1 import VerificationCodeIssued
from contracts.topics import Topic
from devstack.stack import Stack
from e2e.journeys import Client, next_sms_code, registered_physician
from regsys_runtime.sealing import SEALED_DELIVERY_PREFIX

pytestmark = pytest.mark.e2e


def event_of(message: bytes) -> Event | None:
    try:
        return Envelope.from_bytes(message).open()
    except ContractError:  # a test elsewhere puts a malformed message on the topic, on purpose
        return None


def test_a_code_is_readable_only_where_it_is_delivered(running_stack: Stack, admin: Client):
    physician = registered_physician(running_stack, admin)
    seen = len(running_stack.sms_messages(physician.phone))
    physician.ok("POST", "identity", "/me/security-codes", json={"channel": "sms"})
    code = next_sms_code(running_stack, physician.phone, seen)  # the text says it plainly

    messages = [value for _, value in running_stack.topic_messages([Topic.IDENTITY_ACCOUNT.value])]
    issued = [
        event
        for event in map(event_of, messages)
        if isinstance(event, VerificationCodeIssued) and event.destination == physician.phone
    ]
    assert issued, "the code's event is on the broker"
    assert all(event.code.startswith(SEALED_DELIVERY_PREFIX) for event in issued)
    assert not any(code.encode() in message and physician.phone.encode() in message for message in messages)
