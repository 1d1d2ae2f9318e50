"""What reviewers write for the physician (a rejection, a declined activation): plain text of a bounded length.

The reason goes verbatim into an official SMS, an e-mail and the inbox, so markup and links have no place in it:
a tag could render in a mail client and a link would read as the authority's own.
"""

from __future__ import annotations

import re

from regsys_runtime.errors import InvalidField

MAX_REASON_LENGTH = 500

_TAG = re.compile(r"<[A-Za-z!?/]")  # what opens a tag, a comment or a declaration to an HTML parser
_LINK = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://|\bwww\.|\b(?:mailto|javascript|data|tel|sms):"
    r"|\b[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\."
    r"(?:com|cn|net|org|info|top|xyz|io|me|cc|tv|co|biz|gov|edu|app|link|site|online|vip|shop|club|ly)\b",
    re.IGNORECASE,
)


class ReasonNotPlainText(InvalidField):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message, code="reason-not-plain-text", detail=message)


def plain_reason(field: str, reason: str) -> str:
    """The reason without surrounding blanks, if it is plain text of at most MAX_REASON_LENGTH characters."""
    text = reason.strip()
    if len(text) > MAX_REASON_LENGTH:
        raise ReasonNotPlainText(field, f"Keep the reason to {MAX_REASON_LENGTH} characters.")
    if _TAG.search(text):
        raise ReasonNotPlainText(field, "Write the reason as plain text, without HTML tags.")
    if _LINK.search(text):
        raise ReasonNotPlainText(field, "Write the reason without links or web addresses.")
    return text


def optional_reason(field: str, reason: str | None) -> str | None:
    """A plain reason, or None when none was given (or only blanks)."""
    return (plain_reason(field, reason) or None) if reason is not None else None
