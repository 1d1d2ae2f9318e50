"""A reviewer's reason (or any other text written by a person) reaches an official message as inert plain text:
no markup, no link anyone could follow, no more than a few lines. The system's own code and link stay whole."""

import re

import pytest

from contracts.enums import ApplicationStatus, ApplicationType
from notifications.domain.catalogue import MessageKind
from notifications.domain.plain_text import FREE_TEXT_LIMIT, plain_text
from notifications.domain.templates import render

REJECTED = {"application_type": ApplicationType.CHANGE_REGISTRATION, "status": ApplicationStatus.REJECTED}
LINKS = re.compile(r"(?i)https?:|www\.|javascript:|evil|phish|bit\.ly|\.top\b|\.cn/")


def rejected_with(reason: str, language: str = "zh"):
    return render(MessageKind.APPLICATION_STATUS_CHANGED, language, {**REJECTED, "reason": reason})


@pytest.mark.parametrize(
    "reason",
    [
        '<a href="https://evil.example/login">点此</a>补交材料',
        "<b>补交材料</b><script>alert(1)</script>",
        "&lt;a href=&quot;http://phish.example&quot;&gt;补交材料&lt;/a&gt;",  # markup written as entities
        "补交材料：请访问 www.phish-gov.cn/login 重新提交",
        "补交材料 bit.ly/3xYzAb",
        "补交材料 regsys-verify.top",
        "补交材料 javascript:alert(1)",
        "补交材料 HTTPS://EVIL.EXAMPLE/%E7%99%BB",
        "<img src=x onerror=alert(1)>补交材料",
    ],
)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_markup_and_links_in_a_reason_are_removed_and_the_words_stay(reason, language):
    message = rejected_with(reason, language)
    for text in (message.text, message.sms_text, message.subject):
        assert "<" not in text and ">" not in text, text
        assert not LINKS.search(text), text
    assert "补交材料" in message.text


def test_a_removed_link_is_marked_so_the_reader_knows_something_was_taken_out():
    assert "[链接已删除]" in rejected_with("请访问 https://evil.example 补交").text
    assert "[link removed]" in rejected_with("see https://evil.example", "en").text


def test_a_long_reason_is_cut_to_the_limit_with_an_ellipsis():
    message = rejected_with("材料不全" * 200)
    reason = message.text.split("原因：", 1)[1]
    assert len(reason) <= FREE_TEXT_LIMIT + 1  # and the sentence's full stop
    assert "…" in reason


def test_lines_and_control_characters_in_a_reason_become_one_line():
    assert plain_text("材料\n\n不全\t\x00\x1b[31m", link_marker="[x]") == "材料 不全 [31m"


def test_ordinary_reasons_pass_unchanged():
    for reason in ["执业范围与资格类别不符", "姓名与身份证号不一致（第2页）", "年龄须满18周岁，请核对 1.5 版表格"]:
        assert plain_text(reason, link_marker="[x]") == reason


def test_the_systems_own_code_link_and_masked_contacts_stay_whole():
    link = "https://regsys.example/verify-email?token=abc-DEF_123"
    email = render(MessageKind.EMAIL_VERIFICATION_LINK, "zh", {"link": link, "minutes": 60})
    assert link in email.text.splitlines()
    changed = render(MessageKind.EMAIL_CHANGED, "zh", {"new_contact": "z***@example.cn"})
    assert "z***@example.cn" in changed.text
    code = render(MessageKind.CODE_ACTIVATION, "zh", {"code": "048213", "minutes": 30})
    assert "048213" in code.sms_text


def test_names_are_plain_text_too():
    message = render(
        MessageKind.REVIEW_TASK_ARRIVED,
        "zh",
        {
            "application_type": ApplicationType.INITIAL_REGISTRATION,
            "physician_name": "<i>张伟</i>",
            "id_number_masked": "110105********1234",
        },
    )
    assert "医师张伟（" in message.text
