"""A reviewer's reason reaches the physician verbatim in an SMS, an e-mail and the inbox: plain text, bounded."""

import uuid
from datetime import UTC, datetime

import pytest

from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome
from institutions.domain import activation, reviews
from institutions.domain.activation import DeclineReasonRequired, RequestStatus
from institutions.domain.reasons import MAX_REASON_LENGTH, ReasonNotPlainText, optional_reason, plain_reason
from institutions.domain.reviews import ReviewTask, TaskStatus

NOW = datetime(2025, 3, 1, tzinfo=UTC)

NOT_PLAIN = [
    "<b>材料不全</b>",
    '请看<a href="x">这里</a>',
    "材料不全<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "详见 http://example.com/notice",
    "详见 https://evil.example",
    "请访问 www.gov-notice.cn 补充材料",
    "请登录 regsys-help.com 重新提交",
    "联系 ftp://files.example",
    "javascript:alert(1)",
    "x" * (MAX_REASON_LENGTH + 1),
]


@pytest.mark.parametrize("reason", NOT_PLAIN)
def test_markup_links_and_long_texts_are_refused(reason):
    with pytest.raises(ReasonNotPlainText) as refused:
        plain_reason("reason", reason)
    assert list(refused.value.fields) == ["reason"]
    assert refused.value.code == "reason-not-plain-text"


@pytest.mark.parametrize(
    "reason",
    [
        "材料不全",
        "照片不清晰，请重新上传（2寸白底）。",
        "身份证号码与资格证书不一致；请核对后再提交",
        "a < b and c > d",
        "x" * 500,
    ],
)
def test_plain_reasons_pass_without_surrounding_blanks(reason):
    assert plain_reason("reason", f"  {reason}\n") == reason


def test_an_absent_or_blank_reason_is_none():
    assert optional_reason("reason", None) is None
    assert optional_reason("reason", "   ") is None


def task() -> ReviewTask:
    return ReviewTask(
        id=uuid.uuid4(), application_id=uuid.uuid4(), account_id=uuid.uuid4(), institution_id=uuid.uuid4(),
        application_type=ApplicationType.INITIAL_REGISTRATION, physician_name="欧阳·明",
        id_number_masked="110105********0011", category=PracticeCategory.CLINICAL, details={},
        status=TaskStatus.OPEN, opened_at=NOW,
    )  # fmt: skip


@pytest.mark.parametrize("outcome", list(ReviewOutcome))
def test_a_review_decision_refuses_a_reason_with_markup(outcome):
    with pytest.raises(ReasonNotPlainText):
        reviews.decide(task(), outcome, "<a href='http://x'>点此</a>", reviewer_id=uuid.uuid4(), now=NOW)


def test_a_review_decision_keeps_the_reason_trimmed():
    decided = reviews.decide(task(), ReviewOutcome.REJECTED, " 材料不全 ", reviewer_id=uuid.uuid4(), now=NOW)
    assert decided.reason == "材料不全"


def request():
    return activation.received(
        account_id=uuid.uuid4(), institution_id=uuid.uuid4(), real_name="欧阳·明",
        id_number_masked="110105********0011", category=PracticeCategory.CLINICAL, at=NOW, automatic=False,
    )  # fmt: skip


def test_a_declined_activation_refuses_a_reason_with_a_link():
    with pytest.raises(ReasonNotPlainText):
        activation.decide(request(), RequestStatus.DECLINED, staff_id=uuid.uuid4(), reason="见 www.x.cn", now=NOW)


def test_a_declined_activation_needs_a_reason_that_is_not_blank():
    with pytest.raises(DeclineReasonRequired):
        activation.decide(request(), RequestStatus.DECLINED, staff_id=uuid.uuid4(), reason="  ", now=NOW)
