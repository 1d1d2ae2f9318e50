"""Rendering: a message kind and its facts become the words a person reads, in their language. No I/O."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from contracts.enums import ApplicationStatus, ApplicationType, LicenceStatus, PracticeCategory
from notifications.domain.catalogue import CATALOGUE, SIGNATURE, MessageKind

LANGUAGES = tuple(CATALOGUE)

VOCABULARY: dict[str, dict[StrEnum, str]] = {
    "zh": {
        ApplicationType.INITIAL_REGISTRATION: "执业注册",
        ApplicationType.CHANGE_REGISTRATION: "变更注册",
        ApplicationType.MULTI_SITE_FILING: "多点执业备案",
        ApplicationType.CANCEL_MULTI_SITE_FILING: "取消多点执业备案",
        ApplicationType.PRACTICE_FILING: "执业备案",
        ApplicationType.CANCEL_FILING: "取消备案",
        ApplicationType.DEREGISTRATION: "注销",
        ApplicationType.PHOTO_UPDATE: "更新照片",
        ApplicationStatus.DRAFT: "草稿",
        ApplicationStatus.SUBMITTED: "已提交",
        ApplicationStatus.INSTITUTION_REVIEW: "待机构审核",
        ApplicationStatus.AUTHORITY_REVIEW: "待卫生健康行政部门审批",
        ApplicationStatus.APPROVED: "已批准",
        ApplicationStatus.REJECTED: "未通过",
        ApplicationStatus.WITHDRAWN: "已撤回",
        ApplicationStatus.CLOSED: "已关闭",
        PracticeCategory.CLINICAL: "临床",
        PracticeCategory.TCM: "中医",
        PracticeCategory.TCM_SPECIALTY: "中医(专长)",
        PracticeCategory.DENTAL: "口腔",
        PracticeCategory.PUBLIC_HEALTH: "公共卫生",
        LicenceStatus.VALID: "已签发",
        LicenceStatus.SUSPENDED: "已暂停",
        LicenceStatus.REVOKED: "已注销",
        LicenceStatus.SUPERSEDED: "已换发",
    },
    "en": {
        ApplicationType.INITIAL_REGISTRATION: "practice registration",
        ApplicationType.CHANGE_REGISTRATION: "change of registration",
        ApplicationType.MULTI_SITE_FILING: "multi-site practice filing",
        ApplicationType.CANCEL_MULTI_SITE_FILING: "cancellation of a multi-site filing",
        ApplicationType.PRACTICE_FILING: "practice filing",
        ApplicationType.CANCEL_FILING: "cancellation of filing",
        ApplicationType.DEREGISTRATION: "deregistration",
        ApplicationType.PHOTO_UPDATE: "photo update",
        ApplicationStatus.DRAFT: "a draft",
        ApplicationStatus.SUBMITTED: "submitted",
        ApplicationStatus.INSTITUTION_REVIEW: "submitted and awaits institution review",
        ApplicationStatus.AUTHORITY_REVIEW: "past institution review and awaits the health administration",
        ApplicationStatus.APPROVED: "approved",
        ApplicationStatus.REJECTED: "rejected",
        ApplicationStatus.WITHDRAWN: "withdrawn",
        ApplicationStatus.CLOSED: "closed",
        PracticeCategory.CLINICAL: "clinical",
        PracticeCategory.TCM: "traditional Chinese medicine",
        PracticeCategory.TCM_SPECIALTY: "TCM specialty",
        PracticeCategory.DENTAL: "dental",
        PracticeCategory.PUBLIC_HEALTH: "public health",
        LicenceStatus.VALID: "issued",
        LicenceStatus.SUSPENDED: "suspended",
        LicenceStatus.REVOKED: "revoked",
        LicenceStatus.SUPERSEDED: "superseded",
    },
}

_BY_TYPE = {language: {(type(k), k): v for k, v in words.items()} for language, words in VOCABULARY.items()}
_REASON = {"zh": "原因：{}。", "en": "Reason: {}."}
_PASSWORD_HOW = {"zh": ("修改", "通过找回密码重置"), "en": ("changed", "reset through password recovery")}


@dataclass(frozen=True)
class Rendered:
    kind: MessageKind
    language: str
    subject: str
    text: str

    @property
    def sms_text(self) -> str:
        """The text as an SMS: the signature first, as Chinese carriers require."""
        signature = SIGNATURE[self.language]
        return f"【{signature}】{self.text}" if self.language == "zh" else f"[{signature}] {self.text}"


class MissingFact(KeyError):
    pass


def placeholders(kind: MessageKind, language: str) -> set[str]:
    """The facts a template needs (derived facts included)."""
    template = CATALOGUE[language][kind]
    formatter = string.Formatter()
    return {name for text in (template.subject, template.text) for _, name, _, _ in formatter.parse(text) if name}


def render(kind: MessageKind, language: str, facts: Mapping[str, object]) -> Rendered:
    """The message of one kind in one language; raises MissingFact when a fact the template needs is absent."""
    template = CATALOGUE[language][kind]
    words = _words(language, facts)
    try:
        return Rendered(
            kind=kind,
            language=language,
            subject=template.subject.format_map(words),
            text=template.text.format_map(words).rstrip(),
        )
    except KeyError as exc:
        raise MissingFact(f"{kind} needs the fact {exc.args[0]!r}") from None


def _words(language: str, facts: Mapping[str, object]) -> dict[str, object]:
    vocabulary = _BY_TYPE[language]  # keyed by (enum, value): members of two enums may share a value
    words: dict[str, object] = {
        name: vocabulary.get((type(value), value), value) if isinstance(value, StrEnum) else value
        for name, value in facts.items()
    }
    reason = facts.get("reason")
    words["reason_sentence"] = _REASON[language].format(reason) if reason else ""
    if "reset" in facts:
        words["how"] = _PASSWORD_HOW[language][1 if facts["reset"] else 0]
    return words
