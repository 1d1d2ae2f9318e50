"""Issue 12 item 12, the institution's side: once identity activates the account, the request reads granted,
how (code, automatic, certificate code), when and by whom; through the consumer's own handler table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from contracts import Envelope
from contracts.enums import ActivationMethod, Channel, PracticeCategory, Role
from contracts.identity.v1 import AccountActivated, ActivationRequested
from institutions.domain.activation import RequestStatus
from institutions.messaging.handlers import HANDLERS
from institutions.service import activation, institutions
from regsys_runtime.auth import Principal
from regsys_runtime.errors import NotYet
from regsys_runtime.paging import Window

pytestmark = pytest.mark.integration

NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
ADMIN = Principal(account_id=uuid.uuid4(), role=Role.ADMIN)


async def an_institution(unit_of_work, *, auto_activation=False):
    return await institutions.register_institution(
        uow=unit_of_work(), admin=ADMIN, client_address=None, now=NOW, name="福州市第一医院",
        credit_code="91350100M000100Y43", licence_number="PDY001", region_code="350100",
        auto_activation=auto_activation,
    )  # fmt: skip


async def deliver(unit_of_work, event, *, at):
    envelope = Envelope.wrap(event, producer="identity", subject_id=str(event.account_id), correlation_id="t",
                             occurred_at=at)  # fmt: skip
    async with unit_of_work() as uow:
        await HANDLERS[type(event)](uow, event, envelope)
        await uow.commit()


def asked(institution_id, category=PracticeCategory.CLINICAL) -> ActivationRequested:
    return ActivationRequested(
        account_id=uuid.uuid4(), institution_id=institution_id, real_name="欧阳·明",
        id_number_masked="110105********0011", category=category,
    )  # fmt: skip


async def the_request(unit_of_work, staff, account_id):
    page = await activation.pending_requests(uow=unit_of_work(), staff=staff, status=None, window=Window())
    return next(r for r in page.items if r.account_id == account_id)


async def test_an_activation_with_the_code_reads_granted_how_when_and_by_whom(unit_of_work):
    institution = await an_institution(unit_of_work)
    staff = Principal(account_id=uuid.uuid4(), role=Role.INSTITUTION_STAFF, institution_id=institution.id)
    request = asked(institution.id)
    await deliver(unit_of_work, request, at=NOW)
    await activation.send_activation_code(
        uow=unit_of_work(), staff=staff, client_address=None, account_id=request.account_id, channel=Channel.SMS,
        now=NOW + timedelta(minutes=1),
    )  # fmt: skip
    activated_at = NOW + timedelta(minutes=5)
    event = AccountActivated(
        account_id=request.account_id, method=ActivationMethod.ACTIVATION_CODE, institution_id=institution.id
    )
    await deliver(unit_of_work, event, at=activated_at)
    await deliver(unit_of_work, event, at=activated_at)  # delivered twice
    older = AccountActivated(
        account_id=request.account_id, method=ActivationMethod.AUTOMATIC, institution_id=institution.id
    )
    await deliver(unit_of_work, older, at=NOW)  # an older activation arriving last

    granted = await the_request(unit_of_work, staff, request.account_id)
    assert (granted.status, granted.method, granted.activated_at) == (
        RequestStatus.GRANTED, ActivationMethod.ACTIVATION_CODE, activated_at,
    )  # fmt: skip
    assert (granted.decided_by, granted.decided_at) == (staff.account_id, NOW + timedelta(minutes=1))


async def test_automatic_activation_reads_granted_automatically_with_no_staff(unit_of_work):
    institution = await an_institution(unit_of_work, auto_activation=True)
    staff = Principal(account_id=uuid.uuid4(), role=Role.INSTITUTION_STAFF, institution_id=institution.id)
    request = asked(institution.id)
    await deliver(unit_of_work, request, at=NOW)
    event = AccountActivated(
        account_id=request.account_id, method=ActivationMethod.AUTOMATIC, institution_id=institution.id
    )
    await deliver(unit_of_work, event, at=NOW + timedelta(seconds=2))
    granted = await the_request(unit_of_work, staff, request.account_id)
    assert (granted.status, granted.method, granted.decided_by, granted.activated_at) == (
        RequestStatus.GRANTED, ActivationMethod.AUTOMATIC, None, NOW + timedelta(seconds=2),
    )  # fmt: skip


async def test_a_certificate_code_activation_grants_the_open_requests(unit_of_work):
    institution = await an_institution(unit_of_work)
    staff = Principal(account_id=uuid.uuid4(), role=Role.INSTITUTION_STAFF, institution_id=institution.id)
    request = asked(institution.id)
    await deliver(unit_of_work, request, at=NOW)
    event = AccountActivated(account_id=request.account_id, method=ActivationMethod.QUALIFICATION_CODE)
    await deliver(unit_of_work, event, at=NOW + timedelta(hours=1))
    granted = await the_request(unit_of_work, staff, request.account_id)
    assert (granted.status, granted.method) == (RequestStatus.GRANTED, ActivationMethod.QUALIFICATION_CODE)


async def test_an_activation_before_its_request_waits_and_then_applies(unit_of_work):
    institution = await an_institution(unit_of_work)
    staff = Principal(account_id=uuid.uuid4(), role=Role.INSTITUTION_STAFF, institution_id=institution.id)
    request = asked(institution.id)
    event = AccountActivated(
        account_id=request.account_id, method=ActivationMethod.AUTOMATIC, institution_id=institution.id
    )
    with pytest.raises(NotYet):
        await deliver(unit_of_work, event, at=NOW + timedelta(seconds=1))
    # a certificate-code activation of someone who never asked an institution needs nothing: no wait
    await deliver(unit_of_work, AccountActivated(account_id=uuid.uuid4(), method=ActivationMethod.QUALIFICATION_CODE),
                  at=NOW)  # fmt: skip
    await deliver(unit_of_work, request, at=NOW)
    await deliver(unit_of_work, event, at=NOW + timedelta(seconds=1))  # the consumer's retry
    assert (await the_request(unit_of_work, staff, request.account_id)).status is RequestStatus.GRANTED
