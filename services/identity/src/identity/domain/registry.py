"""The qualification registry (医师资格信息): what one entry must hold, as loaded by an operator. No I/O."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from contracts.enums import PracticeCategory
from contracts.labels import label
from identity.domain.rules import RuleViolation, normalize_id_number, normalize_real_name
from regsys_runtime.errors import Message

CATEGORY_NAMES = ", ".join(label(c) for c in PracticeCategory)  # 临床, 中医, 中医(专长), 口腔, 公共卫生
CATEGORY_LABELS = (
    {label(c): c for c in PracticeCategory}
    | {"中医（专长）": PracticeCategory.TCM_SPECIALTY}  # the same name with full-width brackets, as often typed
    | {c.value: c for c in PracticeCategory}
)

CERTIFICATE_CODE = Message(
    "A certificate code has 1 to 40 letters and digits.", zh="资格证书编码由 1 至 40 位字母和数字组成。"
)
DATE_FORMAT = Message("A date is written YYYY-MM-DD.", zh="日期的写法是 YYYY-MM-DD，例如 2020-08-01。")


@dataclass(frozen=True)
class Qualification:
    real_name: str
    id_number: str
    certificate_code: str
    category: PracticeCategory
    qualified_on: date | None


@dataclass(frozen=True)
class RegistryEntry:
    """An entry as identity stores it: the ID number only as its keyed lookup hash."""

    id_number_lookup: bytes
    real_name: str
    certificate_code: str
    category: PracticeCategory
    qualified_on: date | None = None


def certificate_code_matches(entry: RegistryEntry | None, code: str) -> bool:
    """The code on the qualification certificate, in any case; compared in constant time."""
    return entry is not None and hmac.compare_digest(entry.certificate_code.upper(), code.strip().upper())


def category_of(name: str) -> PracticeCategory:
    try:
        return CATEGORY_LABELS[name.strip()]
    except KeyError:
        unknown = name.strip()
        raise RuleViolation(
            "category",
            Message(
                f"Unknown category {unknown!r}; use one of {CATEGORY_NAMES}.",
                zh=f"无法识别的类别“{unknown}”；请填写其中之一：{CATEGORY_NAMES}。",
            ),
        ) from None


def certificate_code_of(value: str) -> str:
    code = value.strip().upper()
    if not 1 <= len(code) <= 40 or not code.isalnum():
        raise RuleViolation("certificate_code", CERTIFICATE_CODE)
    return code


def qualified_on_of(value: str | None) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise RuleViolation("qualified_on", DATE_FORMAT) from None


def qualification_of(row: dict[str, str]) -> Qualification:
    """One registry entry from text fields; raises the first RuleViolation found."""
    return Qualification(
        real_name=normalize_real_name(row.get("real_name") or ""),
        id_number=normalize_id_number(row.get("id_number") or ""),
        certificate_code=certificate_code_of(row.get("certificate_code") or ""),
        category=category_of(row.get("category") or ""),
        qualified_on=qualified_on_of(row.get("qualified_on")),
    )
