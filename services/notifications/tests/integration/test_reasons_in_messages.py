"""A reviewer's reason with markup and a phishing link reaches the physician's SMS, e-mail and inbox inert."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contracts import Envelope
from contracts.applications.v1 import ApplicationStatusChanged
from contracts.enums import ApplicationStatus, ApplicationType, Role
from contracts.identity.v1 import AccountRegistered
from notifications.adapters.tables import deliveries, inbox_messages

from .conftest import handlers_in

pytestmark = pytest.mark.integration

HANDLERS = handlers_in("zh")


async def apply(unit_of_work, event) -> Envelope:
    envelope = Envelope.wrap(event, producer="tests", subject_id=str(uuid.uuid4()), correlation_id="t")
    async with unit_of_work() as uow:
        await HANDLERS[type(event)](uow, event, envelope)
        await uow.commit()
    return envelope


async def test_a_reason_with_markup_and_a_link_is_plain_text_on_every_channel(unit_of_work):
    account = uuid.uuid4()
    await apply(
        unit_of_work,
        AccountRegistered(
            account_id=account, role=Role.PHYSICIAN, login_name="r1", real_name="张伟", phone="13900000081",
            email="r1@example.cn",
        ),
    )  # fmt: skip
    reason = '材料不全，<a href="https://gov-verify.top/login">请点此重新认证</a><script>steal()</script>' + "。" * 300
    changed = await apply(
        unit_of_work,
        ApplicationStatusChanged(
            application_id=uuid.uuid4(),
            account_id=account,
            application_type=ApplicationType.INITIAL_REGISTRATION,
            status=ApplicationStatus.REJECTED,
            reason=reason,
            changed_at=datetime.now(UTC),
        ),
    )

    async with unit_of_work() as uow:
        sent = (
            await uow.session.execute(select(deliveries).where(deliveries.c.cause_event_id == changed.event_id))
        ).all()
        [posted] = (
            await uow.session.execute(select(inbox_messages).where(inbox_messages.c.cause_event_id == changed.event_id))
        ).all()
    bodies = {r.channel: r.body for r in sent} | {"inbox": posted.body}
    assert set(bodies) == {"sms", "email", "inbox"}
    for channel, body in bodies.items():
        assert "材料不全" in body and "请点此重新认证" in body, channel
        assert "<" not in body and "gov-verify" not in body and "https" not in body, channel
        assert "steal" not in body, channel
        assert len(body) < 200, channel
