"""Rendering: a message kind and its facts become the words a person reads, in their language. No I/O."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import cast

from contracts.enums import ApplicationStatus, ApplicationType, LicenceStatus, PracticeCategory
from contracts.labels import LABELS, Language, label
from notifications.domain.catalogue import CATALOGUE, SIGNATURE, MessageKind
from notifications.domain.plain_text import plain_text

LANGUAGES = tuple(CATALOGUE)

# The names of shared enums come from contracts.labels. These few read differently inside a message's sentence
# ("您的执业注册申请待机构审核", "Your ... application is now submitted and awaits institution review"), keyed by
# (enum, member) since members of two enums may share a value.
IN_A_SENTENCE: dict[str, dict[tuple[type[StrEnum], StrEnum], str]] = {
    "zh": {
        (ApplicationStatus, ApplicationStatus.INSTITUTION_REVIEW): "待机构审核",
        (ApplicationStatus, ApplicationStatus.AUTHORITY_REVIEW): "待卫生健康行政部门审批",
        # the roster hears of a change: a licence that became valid was issued (or reinstated)
        (LicenceStatus, LicenceStatus.VALID): "已签发",
    },
    "en": {
        (ApplicationStatus, ApplicationStatus.DRAFT): "a draft",
        (ApplicationStatus, ApplicationStatus.INSTITUTION_REVIEW): "submitted and awaits institution review",
        (ApplicationStatus, ApplicationStatus.AUTHORITY_REVIEW): (
            "past institution review and awaits the health administration"
        ),
        (LicenceStatus, LicenceStatus.VALID): "issued",
    },
}


def word_for(value: StrEnum, language: str) -> str:
    """How a member of a shared enum reads in a message: its sentence wording, else its shared label."""
    in_a_sentence = IN_A_SENTENCE[language].get((type(value), value))
    if in_a_sentence is not None:
        return in_a_sentence
    return label(value, cast(Language, language)) if type(value) in LABELS else str(value)


# the words of the enums messages name, as a person reads them in each language
VOCABULARY: dict[str, dict[StrEnum, str]] = {
    language: {
        member: word_for(member, language)
        for enum in (ApplicationType, ApplicationStatus, PracticeCategory, LicenceStatus)
        for member in enum
    }
    for language in LANGUAGES
}

_REASON = {"zh": "原因：{}。", "en": "Reason: {}."}
_LINK_REMOVED = {"zh": "[链接已删除]", "en": "[link removed]"}
# facts the system makes itself, kept whole: a code, our own link, masked contacts; every other text fact
# comes from a person (a reviewer's reason, a name) and is made inert plain text (domain.plain_text)
OUR_OWN_FACTS = frozenset({"code", "link", "minutes", "contact", "new_contact"})
_PASSWORD_HOW = {"zh": ("修改", "通过找回密码重置"), "en": ("changed", "reset through password recovery")}


@dataclass(frozen=True)
class Rendered:
    kind: MessageKind
    language: str
    subject: str
    text: str
    params: Mapping[str, str] = field(default_factory=dict)  # the text's facts in words, by placeholder

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
    return _names(template.subject) | _names(template.text)


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


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
            params={name: str(words[name]) for name in _names(template.text)},
        )
    except KeyError as exc:
        raise MissingFact(f"{kind} needs the fact {exc.args[0]!r}") from None


def _word(name: str, value: object, language: str) -> object:
    if isinstance(value, StrEnum):
        return word_for(value, language)
    if isinstance(value, str) and name not in OUR_OWN_FACTS:
        return plain_text(value, link_marker=_LINK_REMOVED[language])
    return value


def _words(language: str, facts: Mapping[str, object]) -> dict[str, object]:
    words = {name: _word(name, value, language) for name, value in facts.items()}
    reason = words.get("reason")
    words["reason_sentence"] = _REASON[language].format(reason) if reason else ""
    if "reset" in facts:
        words["how"] = _PASSWORD_HOW[language][1 if facts["reset"] else 0]
    return words
