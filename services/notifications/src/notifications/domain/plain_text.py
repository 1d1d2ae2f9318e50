"""Text written by people (a reviewer's reason, a name) as it may appear in an official message. No I/O.

Official SMS, e-mails and inbox messages carry the words of reviewers and officers. Whatever those words hold,
a message must never carry markup or a link someone could follow (a phishing link sent in the authority's
name is worse than any typo), nor run to pages. So free text is rendered inert here, for every message:

- HTML is taken out: entities are decoded first (``&lt;b&gt;`` is markup too), then tags are removed and the
  content of ``script`` and ``style`` with them; a ``<`` or ``>`` left over becomes its full-width look-alike;
- anything that reads as a link (a scheme such as ``https:`` or ``javascript:``, ``www.``, or a bare host name
  such as ``bit.ly/x`` or ``gov-verify.top``) is replaced by a marker, so the reader knows something was removed;
- control characters are dropped and line breaks and runs of spaces become one space: one line of text;
- the result is cut to ``FREE_TEXT_LIMIT`` characters, ending in an ellipsis when it was cut.

The full reason stays with the application; the message only needs to say what it is about.
"""

from __future__ import annotations

import html
import re

FREE_TEXT_LIMIT = 100  # characters of one person's text in one message: a reason fits; an SMS stays short

_SCRIPTS = re.compile(r"(?is)<(script|style)\b[^>]*>.*?(</\1\s*>|$)")
_TAGS = re.compile(r"<[^<>]*(>|$)")
_SCHEMES = re.compile(
    r"(?i)(?<![a-z0-9+.-])(?:[a-z][a-z0-9+.-]*://|www\.|(?:javascript|vbscript|data|mailto|tel|sms|file):)\S*"
)
# a host name written without a scheme: labels of letters, digits and hyphens, and a top-level name of letters
_BARE_HOSTS = re.compile(
    r"(?i)(?<![a-z0-9@*.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]+)\b(?:[/:?#]\S*)?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def plain_text(value: str, *, link_marker: str, limit: int = FREE_TEXT_LIMIT) -> str:
    """`value` as inert plain text of at most `limit` characters: no markup, no link, one line."""
    text = html.unescape(value)
    text = _TAGS.sub(" ", _SCRIPTS.sub(" ", text))
    text = text.replace("<", "＜").replace(">", "＞")
    text = _BARE_HOSTS.sub(link_marker, _SCHEMES.sub(link_marker, text))
    text = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
