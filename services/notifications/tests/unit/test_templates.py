"""Every message kind renders in Chinese and English with the facts it needs, and says what matters."""

import re
import string
from enum import StrEnum

import pytest

from contracts.enums import ApplicationStatus, ApplicationType, LicenceStatus, PracticeCategory
from notifications.domain.catalogue import CATALOGUE, MessageKind
from notifications.domain.templates import LANGUAGES, VOCABULARY, MissingFact, placeholders, render

CODE = "048213"
LINK = "https://regsys.example/verify-email?token=abc-DEF_123"

# facts as the handlers give them, per kind; each kind must say its key fact in both languages
FACTS: dict[MessageKind, tuple[dict[str, object], dict[str, str]]] = {
    MessageKind.CODE_VERIFY_PHONE: ({"code": CODE, "minutes": 10}, {"zh": "手机", "en": "phone"}),
    MessageKind.CODE_VERIFY_EMAIL: ({"code": CODE, "minutes": 10}, {"zh": "邮箱", "en": "e-mail"}),
    MessageKind.CODE_RESET_PASSWORD: ({"code": CODE, "minutes": 10}, {"zh": "找回", "en": "recovering"}),
    MessageKind.CODE_CHANGE_PHONE_OLD: ({"code": CODE, "minutes": 10}, {"zh": "原手机号", "en": "old number"}),
    MessageKind.CODE_CHANGE_PHONE_NEW: ({"code": CODE, "minutes": 10}, {"zh": "新手机号", "en": "new phone"}),
    MessageKind.CODE_ACTIVATION: ({"code": CODE, "minutes": 30}, {"zh": "激活码", "en": "activation code"}),
    MessageKind.EMAIL_VERIFICATION_LINK: ({"link": LINK, "minutes": 60}, {"zh": "验证您的电子邮箱", "en": "verify"}),
    MessageKind.ACCOUNT_REGISTERED: ({"name": "欧阳·明", "login_name": "doc01"}, {"zh": "doc01", "en": "doc01"}),
    MessageKind.QUALIFICATION_MATCHED: (
        {"category": PracticeCategory.TCM_SPECIALTY},
        {"zh": "中医(专长)", "en": "TCM"},
    ),
    MessageKind.QUALIFICATION_UNMATCHED: ({"reason": "姓名不符"}, {"zh": "姓名不符", "en": "姓名不符"}),
    MessageKind.ACTIVATION_REQUESTED: (
        {"physician_name": "张伟", "id_number_masked": "110105********1234"},
        {"zh": "110105********1234", "en": "110105********1234"},
    ),
    MessageKind.ACTIVATION_DECLINED: ({"reason": "非本院医师"}, {"zh": "非本院医师", "en": "非本院医师"}),
    MessageKind.ACCOUNT_ACTIVATED: ({}, {"zh": "已激活", "en": "active"}),
    MessageKind.PHONE_VERIFIED: ({"contact": "139****5678"}, {"zh": "139****5678", "en": "139****5678"}),
    MessageKind.PHONE_CHANGED: ({"new_contact": "139****5678"}, {"zh": "139****5678", "en": "139****5678"}),
    MessageKind.EMAIL_CHANGED: ({"new_contact": "z***@example.cn"}, {"zh": "z***@example.cn", "en": "z***@example.cn"}),
    MessageKind.PASSWORD_CHANGED: ({"reset": True}, {"zh": "重置", "en": "reset"}),
    MessageKind.ACCOUNT_DISABLED: ({"reason": "冒用身份"}, {"zh": "冒用身份", "en": "冒用身份"}),
    MessageKind.APPLICATION_STATUS_CHANGED: (
        {
            "application_type": ApplicationType.MULTI_SITE_FILING,
            "status": ApplicationStatus.REJECTED,
            "reason": "材料不全",
        },
        {
            "zh": "多点执业备案申请未通过。原因：材料不全",
            "en": "multi-site practice filing application is now rejected",
        },
    ),
    MessageKind.REVIEW_TASK_ARRIVED: (
        {
            "application_type": ApplicationType.CHANGE_REGISTRATION,
            "physician_name": "张伟",
            "id_number_masked": "110105********1234",
        },
        {"zh": "变更注册", "en": "change of registration"},
    ),
    MessageKind.REVIEW_TASK_WITHDRAWN: (
        {"application_type": ApplicationType.DEREGISTRATION},
        {"zh": "注销申请已由医师撤回", "en": "deregistration application was withdrawn"},
    ),
    MessageKind.AUTHORITY_TASK_ARRIVED: (
        {"application_type": ApplicationType.INITIAL_REGISTRATION},
        {"zh": "执业注册", "en": "practice registration"},
    ),
    MessageKind.LICENCE_ISSUED: (
        {"certificate_number": "110105202600001"},
        {"zh": "110105202600001", "en": "110105202600001"},
    ),
    MessageKind.LICENCE_SUSPENDED: ({"reason": "执业备案"}, {"zh": "已暂停", "en": "suspended"}),
    MessageKind.LICENCE_REINSTATED: ({"reason": "取消备案"}, {"zh": "恢复", "en": "valid again"}),
    MessageKind.LICENCE_REVOKED: ({"reason": "注销"}, {"zh": "已注销", "en": "revoked"}),
    MessageKind.ROSTER_LICENCE_CHANGED: (
        {"physician_name": "张伟", "licence_status": LicenceStatus.REVOKED},
        {"zh": "张伟的电子证照已注销", "en": "is now revoked"},
    ),
}


def test_every_kind_has_facts_here_and_a_template_in_every_language():
    assert set(FACTS) == set(MessageKind)
    for language in LANGUAGES:
        assert set(CATALOGUE[language]) == set(MessageKind), language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(MessageKind))
def test_each_kind_renders_with_its_key_fact_and_nothing_left_unfilled(kind, language):
    facts, says = FACTS[kind]
    message = render(kind, language, facts)

    assert message.subject and message.text
    assert says[language] in message.subject + message.text
    for text in (message.subject, message.text):
        assert not [name for _, name, _, _ in string.Formatter().parse(text) if name], text
        assert "None" not in text
    for value in facts.values():
        if isinstance(value, StrEnum):  # enums are shown in words, never as codes like "multi_site_filing"
            assert VOCABULARY[language][value] in message.subject + message.text
            assert "_" not in message.subject + message.text.replace(LINK, "")
    if language == "zh":
        assert re.search(r"[\u4e00-\u9fff]", message.subject), "Chinese messages are in Chinese"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", [k for k in MessageKind if k.value.startswith("code.")])
def test_a_code_stands_alone_so_it_can_be_read_and_copied(kind, language):
    message = render(kind, language, FACTS[kind][0])
    assert re.findall(r"(?<!\d)\d{6}(?!\d)", message.sms_text) == [CODE]
    assert re.findall(r"\b\d{6}\b", message.text) == [CODE]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_link_stands_on_its_own_line_as_a_plain_url(language):
    message = render(MessageKind.EMAIL_VERIFICATION_LINK, language, FACTS[MessageKind.EMAIL_VERIFICATION_LINK][0])
    assert re.findall(r"https?://\S+", message.text) == [LINK]
    assert LINK in message.text.splitlines()


def test_an_sms_opens_with_the_signature():
    facts = FACTS[MessageKind.ACCOUNT_ACTIVATED][0]
    assert render(MessageKind.ACCOUNT_ACTIVATED, "zh", facts).sms_text.startswith("【医师电子化注册】")
    assert render(MessageKind.ACCOUNT_ACTIVATED, "en", facts).sms_text.startswith("[Physician e-Registration] ")


def test_a_status_without_a_reason_says_no_reason():
    facts = {"application_type": ApplicationType.PHOTO_UPDATE, "status": ApplicationStatus.APPROVED, "reason": None}
    message = render(MessageKind.APPLICATION_STATUS_CHANGED, "zh", facts)
    assert message.subject == "您的更新照片申请已批准"
    assert "原因" not in message.text


def test_a_password_changed_by_the_person_says_changed_not_reset():
    assert "修改" in render(MessageKind.PASSWORD_CHANGED, "zh", {"reset": False}).text
    assert "重置" not in render(MessageKind.PASSWORD_CHANGED, "zh", {"reset": False}).text


def test_a_missing_fact_is_an_error_not_a_blank():
    with pytest.raises(MissingFact, match="code"):
        render(MessageKind.CODE_VERIFY_PHONE, "zh", {"minutes": 10})
    assert "code" in placeholders(MessageKind.CODE_VERIFY_PHONE, "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_application_type_and_status_has_words(language):
    for value in [*ApplicationType, *ApplicationStatus, *PracticeCategory, *LicenceStatus]:
        assert value in VOCABULARY[language], value
