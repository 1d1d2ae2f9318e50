"""Refusals below the API: what went wrong in the domain's words, with no HTTP in sight.

Domain, service, adapter and messaging code raise these; the problem handlers turn each into an RFC 9457
response in one place (`regsys_runtime.problems`), and a consumer treats them like any failed handler. Each
carries a stable `code` a client can branch on and a `detail` a person can act on.
Pure Python on purpose: the domain packages may import this module and nothing else of the runtime.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any, Literal

Language = Literal["zh", "en"]
LANGUAGE: ContextVar[Language] = ContextVar("language", default="zh")  # the caller's, set per request


class Message(str):
    """Words a person reads, in English (the string itself) and in Chinese (`zh`).

    A plain `str` where only English exists yet; compared, joined and logged as its English, shown to a
    caller in the caller's language (`said`)."""

    zh: str

    def __new__(cls, en: str, *, zh: str) -> Message:
        message = super().__new__(cls, en)
        message.zh = zh
        return message

    def format(self, *args: Any, **kwargs: Any) -> Message:
        return Message(str.format(self, *args, **kwargs), zh=self.zh.format(*args, **kwargs))


def said(words: str, language: Language | None = None) -> str:
    """`words` in `language` (the current caller's by default), or as they are when only one language exists."""
    if isinstance(words, Message) and (language or LANGUAGE.get()) == "zh":
        return words.zh
    return str(words)


FIELDS_TO_CORRECT = Message("Please correct the marked fields.", zh="请更正标出的字段。")


class DomainError(Exception):
    """The base of every refusal; `extra` holds further members of the problem body."""

    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code, self.detail, self.extra = code, detail, extra


class NotFound(DomainError):
    """No such object, or none the caller may see (the two answer alike, so nothing leaks)."""

    def __init__(self, detail: str, *, code: str = "not-found", **extra: Any) -> None:
        super().__init__(code, detail, **extra)


class Conflict(DomainError):
    """The request is understood but the state of things refuses it (already decided, already registered)."""

    def __init__(self, code: str, detail: str, *, fields: Mapping[str, str] | None = None, **extra: Any) -> None:
        super().__init__(code, detail, **extra)
        self.fields = dict(fields or {})


class InvalidFields(DomainError):
    """Input that breaks a rule: each bad field with a message to show beside it."""

    def __init__(
        self,
        fields: Mapping[str, str],
        *,
        detail: str = FIELDS_TO_CORRECT,
        code: str = "invalid-fields",
        **extra: Any,
    ) -> None:
        super().__init__(code, detail, **extra)
        self.fields = dict(fields)


class InvalidField(InvalidFields):
    """One bad field."""

    def __init__(self, field: str, message: str, *, detail: str | None = None, **extra: Any) -> None:
        super().__init__({field: message}, detail=detail or message, **extra)


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class Unauthenticated(DomainError):
    """The caller's credentials do not hold (a wrong password, an ended session)."""


class Gone(DomainError):
    """What the request points at existed but is used up or expired (a registration ticket, a link)."""


class TooLarge(DomainError):
    """The request carries more than one request may (bytes, rows); smaller parts may succeed."""


class TooManyAttempts(DomainError):
    """A limit was reached; `retry_after` seconds until another try may succeed."""

    def __init__(self, code: str, detail: str, *, retry_after: int, **extra: Any) -> None:
        super().__init__(code, detail, **extra)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """Something the request needs is not there right now; the same request may succeed later."""


class NotYet(DomainError):
    """An event arrived before what it depends on (another service's event not seen yet).

    The consumer parks the event (regsys_runtime.parking) and applies it once an event of the same key has been
    applied, or later by backoff, instead of dead-lettering it: the message is fine, only early.
    """

    def __init__(self, detail: str, *, code: str = "prerequisite-missing", **extra: Any) -> None:
        super().__init__(code, detail, **extra)
