"""The qualification registry (医师资格信息): what one entry must hold, as loaded by an operator. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.enums import PracticeCategory
from identity.domain.rules import RuleViolation, normalize_id_number, normalize_real_name

CATEGORY_LABELS = {
    "临床": PracticeCategory.CLINICAL,
    "中医": PracticeCategory.TCM,
    "中医(专长)": PracticeCategory.TCM_SPECIALTY,
    "中医（专长）": PracticeCategory.TCM_SPECIALTY,
    "口腔": PracticeCategory.DENTAL,
    "公共卫生": PracticeCategory.PUBLIC_HEALTH,
} | {c.value: c for c in PracticeCategory}

COLUMNS = ("real_name", "id_number", "certificate_code", "category", "qualified_on")


@dataclass(frozen=True)
class Qualification:
    real_name: str
    id_number: str
    certificate_code: str
    category: PracticeCategory
    qualified_on: date | None


def category_of(label: str) -> PracticeCategory:
    try:
        return CATEGORY_LABELS[label.strip()]
    except KeyError:
        raise RuleViolation(
            "category", f"Unknown category {label.strip()!r}; use one of 临床, 中医, 中医(专长), 口腔, 公共卫生."
        ) from None


def certificate_code_of(value: str) -> str:
    code = value.strip().upper()
    if not 1 <= len(code) <= 40 or not code.isalnum():
        raise RuleViolation("certificate_code", "A certificate code has 1 to 40 letters and digits.")
    return code


def qualified_on_of(value: str | None) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise RuleViolation("qualified_on", "A date is written YYYY-MM-DD.") from None


def qualification_of(row: dict[str, str]) -> Qualification:
    """One registry entry from text fields; raises the first RuleViolation found."""
    return Qualification(
        real_name=normalize_real_name(row.get("real_name") or ""),
        id_number=normalize_id_number(row.get("id_number") or ""),
        certificate_code=certificate_code_of(row.get("certificate_code") or ""),
        category=category_of(row.get("category") or ""),
        qualified_on=qualified_on_of(row.get("qualified_on")),
    )
