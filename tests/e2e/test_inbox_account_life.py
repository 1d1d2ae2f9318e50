"""The inbox tells a physician's account life, as the e-mails and texts do, and never holds a code or a link."""

import re

import pytest

from devstack.stack import Stack
from e2e.journeys import Client, active_physician, eventually, new_institution

pytestmark = pytest.mark.e2e

ACCOUNT_LIFE = {"注册成功", "医师资格校验通过", "手机号已验证", "账户已激活"}
# what goes only to its own channel: one-time codes and the e-mail verification link
CODE_OR_LINK_SUBJECTS = re.compile(r"验证码|激活码|验证您的电子邮箱")


def test_the_account_life_is_in_the_inbox_and_codes_stay_on_their_channel(running_stack: Stack, admin: Client):
    stack = running_stack
    physician = active_physician(stack, admin, new_institution(admin, "320102"))

    inbox = eventually(
        lambda: physician.ok("GET", "notifications", "/inbox"),
        lambda ms: {m["title"] for m in ms} >= ACCOUNT_LIFE,
    )
    titles = [m["title"] for m in inbox]
    assert all(titles.count(title) == 1 for title in ACCOUNT_LIFE), titles

    # every e-mail the person got, but a code or a link, is in the inbox under the same title
    mails = eventually(
        lambda: stack.mail_messages(physician.email), lambda ms: any("已激活" in m["Subject"] for m in ms)
    )
    told = {str(m["Subject"]) for m in mails if not CODE_OR_LINK_SUBJECTS.search(str(m["Subject"]))}
    assert told <= set(titles)

    # the phone code reached the phone, and nothing like it (or any link) is in the inbox
    texts = stack.sms_messages(physician.phone)
    codes = {c for t in texts for c in re.findall(r"(?<!\d)\d{6}(?!\d)", t)}
    assert codes, "the phone was verified with a code sent by SMS"
    bodies = " ".join(m["title"] + m["body"] for m in inbox)
    assert not codes & set(re.findall(r"(?<!\d)\d{6}(?!\d)", bodies))
    assert not re.search(r"https?://|www\.", bodies)
    assert not CODE_OR_LINK_SUBJECTS.search(" ".join(titles))
