"""The development channels the stack sets up: what the service sends there, Stack's accessors read back."""

import pytest

from devstack.infra import Infra
from devstack.processes import free_port
from devstack.stack import Stack, generate_secrets
from notifications.adapters.email import SmtpMailer
from notifications.adapters.sms import FileSmsSink

pytestmark = pytest.mark.integration


@pytest.fixture
def stack(infra: Infra, tmp_path):
    stack = Stack(infra=infra, database="unused", workdir=tmp_path, secrets=generate_secrets(), smtp_port=free_port())
    stack.start_mail_catcher()
    yield stack
    stack.stop()
    assert stack.mail_catcher is None


async def test_mail_sent_to_the_catcher_is_read_back_per_address_oldest_first(stack: Stack):
    mailer = SmtpMailer(host="127.0.0.1", port=stack.smtp_port, sender="regsys <no-reply@regsys.example>")
    await mailer.send(to="a@example.cn", subject="第一封", text="验证码：123456")
    await mailer.send(to="b@example.cn", subject="别人的", text="无关")
    await mailer.send(to="A@example.cn", subject="第二封", text="链接\n\nhttps://regsys.example/v?t=1\n")

    messages = stack.mail_messages("a@example.cn")
    assert [m["Subject"] for m in messages] == ["第一封", "第二封"]
    assert "123456" in messages[0].get_content()
    assert [m["Subject"] for m in stack.mail_messages("b@example.cn")] == ["别人的"]
    assert stack.mail_messages("nobody@example.cn") == []


async def test_texts_in_the_sms_sink_are_read_back_per_phone_oldest_first(stack: Stack):
    sink = FileSmsSink(stack.sms_sink_path)
    assert stack.sms_messages("13800000001") == []
    await sink.send(phone="13800000001", text="【医师电子化注册】验证码：111111")
    await sink.send(phone="13800000002", text="别人的")
    await sink.send(phone="13800000001", text="【医师电子化注册】验证码：222222")

    assert stack.sms_messages("13800000001") == ["【医师电子化注册】验证码：111111", "【医师电子化注册】验证码：222222"]


def test_the_stack_points_notifications_at_its_development_channels(stack: Stack):
    env = stack.env()
    assert env["NOTIFICATIONS_SMS_SINK_PATH"] == str(stack.workdir / "sms.jsonl")
    assert env["NOTIFICATIONS_SMTP_PORT"] == str(stack.smtp_port)
    assert env["NOTIFICATIONS_SMS_GATEWAY_URL"] == "", "a developer's real gateway is never used by the stack"
