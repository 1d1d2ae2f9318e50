"""The licence as its QR code carries it: the few fields an offline verifier must show, under small keys.

The full signed licence (the compact JWS) holds everything and stays in the PDF and behind the verification
address; a QR code of it needed version 30, too dense to scan from a printed card or a phone screen. This is
the part a verifier without a network shows beside the verdict, small enough for version 15 or lower. Multi-site
institutions and the photo's hash are left to the full licence and the online check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

# the CBOR map's keys (services/licensing/README.md, "The QR code's credential"): small integers, one byte each
NUMBER, NAME, ID_NUMBER_MASKED, CATEGORY, SCOPE, INSTITUTION, ISSUED_AT, EXPIRES_AT, STATUS_INDEX = range(1, 10)
T = TypeVar("T")


class MalformedClaims(ValueError):
    """A signed map that is not a licence's credential (a missing key or a value of the wrong type)."""


@dataclass(frozen=True)
class CompactLicence:
    """What the QR code's credential says of a licence; times to the second, in UTC."""

    number: str
    name: str
    id_number_masked: str
    category_name: str
    practice_scope: str | None
    institution: str  # the main institution
    issued_at: datetime
    expires_at: datetime
    status_index: int  # its place in the status lists, for a verifier that keeps them

    @classmethod
    def of(
        cls, content: Mapping[str, Any], *, issued_at: datetime, expires_at: datetime, status_index: int
    ) -> CompactLicence:
        """The credential of a licence showing `content` (what the full licence shows)."""
        return cls(
            number=content["number"],
            name=content["name"],
            id_number_masked=content["id_number_masked"],
            category_name=content["category_name"],
            practice_scope=content.get("practice_scope") or None,
            institution=content["main_institution"]["name"],
            issued_at=_second(issued_at),
            expires_at=_second(expires_at),
            status_index=status_index,
        )

    def claims(self) -> dict[int, str | int]:
        """The CBOR map to sign: texts as they are printed, times as seconds since 1970 (UTC)."""
        claims: dict[int, str | int] = {
            NUMBER: self.number,
            NAME: self.name,
            ID_NUMBER_MASKED: self.id_number_masked,
            CATEGORY: self.category_name,
            INSTITUTION: self.institution,
            ISSUED_AT: int(self.issued_at.timestamp()),
            EXPIRES_AT: int(self.expires_at.timestamp()),
            STATUS_INDEX: self.status_index,
        }
        if self.practice_scope:
            claims[SCOPE] = self.practice_scope  # left out when there is none
        return dict(sorted(claims.items()))

    @classmethod
    def of_claims(cls, claims: object) -> CompactLicence:
        """The licence a signed map describes; MalformedClaims if it is not one."""
        if not isinstance(claims, Mapping):
            raise MalformedClaims("the credential's payload is not a map")
        scope = claims.get(SCOPE)
        if scope is not None and not isinstance(scope, str):
            raise MalformedClaims(f"key {SCOPE} (practice scope) is not a text")
        return cls(
            number=_typed(claims, NUMBER, str),
            name=_typed(claims, NAME, str),
            id_number_masked=_typed(claims, ID_NUMBER_MASKED, str),
            category_name=_typed(claims, CATEGORY, str),
            practice_scope=scope,
            institution=_typed(claims, INSTITUTION, str),
            issued_at=_moment(_typed(claims, ISSUED_AT, int)),
            expires_at=_moment(_typed(claims, EXPIRES_AT, int)),
            status_index=_typed(claims, STATUS_INDEX, int),
        )


def _typed(claims: Mapping[Any, Any], key: int, kind: type[T]) -> T:
    value = claims.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise MalformedClaims(f"key {key} is missing or not a {kind.__name__}")
    return value


def _moment(seconds: int) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise MalformedClaims(f"{seconds} is not a time a licence can have") from None


def _second(moment: datetime) -> datetime:
    return datetime.fromtimestamp(int(moment.timestamp()), UTC)
