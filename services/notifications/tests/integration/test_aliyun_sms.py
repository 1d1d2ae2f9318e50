"""Texts through the Aliyun adapter, against a local fake of Aliyun's SMS API that checks what Aliyun checks."""

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from contracts import Envelope
from contracts.applications.v1 import ApplicationStatusChanged
from contracts.enums import ApplicationStatus, ApplicationType, Channel, CodePurpose, Role
from contracts.identity.v1 import AccountRegistered, VerificationCodeIssued
from notifications.adapters.aliyun_sms import AliyunSms
from notifications.adapters.tables import deliveries
from notifications.bootstrap import delivery_worker
from notifications.domain.catalogue import SMS_KINDS, ZH
from notifications.domain.deliveries import ERASED, SendFailure

from .conftest import handlers_in, make_dependencies
from .fake_aliyun import FakeAliyun, serve

pytestmark = pytest.mark.integration

KEY_ID, SECRET, SIGN = "LTAI5tRegsysTest0001", "aliyun-test-secret-6f0c2b", "医师电子化注册"
# what an operator registers: each SMS kind's catalogue text, with {fact} written ${fact}, one code per kind
CODES = {kind.value: f"SMS_4653{n:05d}" for n, kind in enumerate(sorted(SMS_KINDS))}
APPROVED = {CODES[kind.value]: re.sub(r"\{(\w+)\}", r"${\1}", ZH[kind].text) for kind in SMS_KINDS}
HANDLERS = handlers_in("zh")


@pytest.fixture
def aliyun() -> Iterator[FakeAliyun]:
    fake = FakeAliyun(access_keys={KEY_ID: SECRET}, sign_names={SIGN}, templates=APPROVED)
    server, _ = serve(fake)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
async def client() -> Iterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http:
        yield http


def adapter(client, aliyun, **overrides) -> AliyunSms:
    options = {
        "access_key_id": KEY_ID,
        "access_key_secret": SECRET,
        "sign_name": SIGN,
        "template_codes": CODES,
        "endpoint": aliyun.url,
        "timeout": 5,
    }
    return AliyunSms(client=client, **{**options, **overrides})


async def apply(unit_of_work, event) -> Envelope:
    envelope = Envelope.wrap(event, producer="identity", subject_id=str(uuid.uuid4()), correlation_id="t")
    async with unit_of_work() as uow:
        await HANDLERS[type(event)](uow, event, envelope)
        await uow.commit()
    return envelope


async def test_a_code_reaches_the_phone_with_its_approved_template(unit_of_work, redis, client, aliyun):
    sms = adapter(client, aliyun)
    worker = delivery_worker(make_dependencies(unit_of_work=unit_of_work, redis=redis, sms=sms))
    code = VerificationCodeIssued(
        account_id=uuid.uuid4(),
        channel=Channel.SMS,
        destination="13912345678",
        purpose=CodePurpose.VERIFY_PHONE,
        code="604218",
        expires_at=datetime.now(UTC) + timedelta(minutes=5),
    )
    await apply(unit_of_work, code)

    assert await worker.deliver_due() == 1

    [sent] = aliyun.sent
    assert sent.phone == "13912345678" and sent.template_code == CODES["code.verify_phone"]
    assert sent.params == {"code": "604218", "minutes": "5"}
    assert sent.text.startswith("【医师电子化注册】您正在验证手机号。验证码：604218，5分钟内有效")
    async with unit_of_work() as uow:
        [row] = (await uow.session.execute(select(deliveries))).all()
    assert row.status == "sent" and row.provider_message_id == "000001^0"
    assert row.body == ERASED and row.sms_params is None, "a delivered code is not kept, in the text or its facts"


async def test_an_outcome_with_a_long_reason_fits_aliyuns_limits(unit_of_work, redis, client, aliyun):
    worker = delivery_worker(make_dependencies(unit_of_work=unit_of_work, redis=redis, sms=adapter(client, aliyun)))
    account = uuid.uuid4()
    await apply(
        unit_of_work,
        AccountRegistered(
            account_id=account, role=Role.PHYSICIAN, login_name="a1", real_name="张伟", phone="13900000091"
        ),
    )
    rejected = ApplicationStatusChanged(
        application_id=uuid.uuid4(),
        account_id=account,
        application_type=ApplicationType.MULTI_SITE_FILING,
        status=ApplicationStatus.REJECTED,
        reason="执业地点与备案机构不一致，请访问 https://gov-verify.top 补充" + "材料" * 50,
        changed_at=datetime.now(UTC),
    )
    await apply(unit_of_work, rejected)

    await worker.deliver_due()

    [sent] = aliyun.sent
    assert aliyun.refusals == []
    assert sent.text.startswith("【医师电子化注册】您的多点执业备案申请未通过。原因：执业地点与备案机构不一致")
    assert "gov-verify" not in sent.text and "https" not in sent.text
    assert all(len(value) <= 35 for value in sent.params.values())


async def test_a_wrong_secret_is_refused_for_good(client, aliyun):
    with pytest.raises(SendFailure) as failure:
        await adapter(client, aliyun, access_key_secret="not-the-secret").send(
            phone="13912345678", text="…", template="account.activated", params={}
        )
    assert failure.value.permanent
    assert "SignatureDoesNotMatch" in failure.value.reason
    assert aliyun.sent == []


async def test_flow_control_is_worth_retrying_and_each_attempt_is_signed_afresh(client, aliyun):
    aliyun.flow_control = 1
    sms = adapter(client, aliyun)

    with pytest.raises(SendFailure) as failure:
        await sms.send(phone="13912345678", text="…", template="account.activated", params={})
    assert not failure.value.permanent and "isv.BUSINESS_LIMIT_CONTROL" in failure.value.reason

    assert await sms.send(phone="13912345678", text="…", template="account.activated", params={}) == "000001^0"
    assert len(aliyun.nonces) == 2


@pytest.mark.parametrize(
    ("overrides", "send", "code"),
    [
        ({"sign_name": "未报备签名"}, {}, "isv.SMS_SIGNATURE_ILLEGAL"),
        ({"template_codes": {"account.activated": "SMS_000000000"}}, {}, "isv.SMS_TEMPLATE_ILLEGAL"),
        ({}, {"phone": "1391234"}, "isv.MOBILE_NUMBER_ILLEGAL"),
        ({}, {"template": "account.disabled"}, "isv.TEMPLATE_MISSING_PARAMETERS"),
        ({"access_key_id": "LTAI5tUnknown"}, {}, "InvalidAccessKeyId.NotFound"),
        ({"utc_now": lambda: datetime.now(UTC) - timedelta(hours=1)}, {}, "InvalidTimeStamp.Expired"),
    ],
)
async def test_what_aliyun_refuses_for_good_is_not_retried(client, aliyun, overrides, send, code):
    message = {"phone": "13912345678", "text": "…", "template": "account.activated", "params": {}, **send}
    with pytest.raises(SendFailure) as failure:
        await adapter(client, aliyun, **overrides).send(**message)
    assert failure.value.permanent
    assert code in failure.value.reason
    assert [refused for _, refused in aliyun.refusals] == [code]


async def test_a_kind_without_an_approved_template_is_not_sent_at_all(client, aliyun):
    sms = adapter(client, aliyun, template_codes={})
    with pytest.raises(SendFailure, match="NOTIFICATIONS_SMS_ALIYUN_TEMPLATE_CODES") as failure:
        await sms.send(phone="13912345678", text="…", template="account.activated", params={})
    assert failure.value.permanent
    assert aliyun.sent == [] and aliyun.refusals == []


async def test_an_unreachable_aliyun_is_worth_retrying(client):
    from devstack.processes import free_port

    sms = AliyunSms(
        client=client, access_key_id=KEY_ID, access_key_secret=SECRET, sign_name=SIGN, template_codes=CODES,
        endpoint=f"http://127.0.0.1:{free_port()}/", timeout=2,
    )  # fmt: skip
    with pytest.raises(SendFailure) as failure:
        await sms.send(phone="13912345678", text="…", template="account.activated", params={})
    assert not failure.value.permanent
