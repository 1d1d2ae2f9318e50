"""The previous system's register export, row by row: what each kind of record must hold. Pure (no I/O).

The export is three CSV files (docs/operations.md, "The register export"): registrations, multi-site filings and
the registrations' histories, linked by the practice certificate number. Headers are English or Chinese. Every row
becomes a frozen record or a RowRefused with the field and a reason an operator can act on.

An imported registration has no account yet: it is kept under an account id of its own, made from its certificate
number (so a second run of the same export finds it again), until the physician's qualification check links it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from stdnum.cn import uscc

from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus
from contracts.id_numbers import is_resident_id_number
from contracts.labels import LABELS
from licensing.domain.physicians import mask_id_number

# names of uuid5 placeholders: an imported registration's account id and its multi-site filings' ids
IMPORT_NAMESPACE = UUID("6f1d7a52-3c0e-5b8e-9a41-2f0c6d1e8b73")
REGISTER_IMPORT = "register_import"  # the history's cause of the snapshot an import writes
REGISTER_CLAIMED = "register_claimed"  # the history's cause when the physician's account took the registration over

REGISTRATIONS, MULTI_SITE_FILINGS, HISTORY = "registrations", "multi_site_filings", "history"

# per file: each column's English name, its Chinese header and whether it is required
COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    REGISTRATIONS: {
        "certificate_number": ("执业证书编码", True),
        "real_name": ("姓名", True),
        "id_number": ("身份证号", True),
        "qualification_code": ("资格证书编码", True),
        "category": ("执业类别", True),
        "practice_scope": ("执业范围", False),
        "institution_credit_code": ("主要执业机构统一社会信用代码", True),
        "registered_on": ("注册日期", True),
        "status": ("注册状态", True),
        "filed_on": ("备案日期", False),
        "deregistered_on": ("注销日期", False),
    },
    MULTI_SITE_FILINGS: {
        "certificate_number": ("执业证书编码", True),
        "institution_credit_code": ("多点执业机构统一社会信用代码", True),
        "starts_on": ("有效期开始时间", True),
        "ends_on": ("有效期结束时间", True),
        "ended_on": ("取消备案日期", False),
    },
    HISTORY: {
        "certificate_number": ("执业证书编码", True),
        "changed_on": ("业务办理日期", True),
        "change": ("业务类型", True),
        "institution_credit_code": ("主要执业机构统一社会信用代码", True),
        "status": ("注册状态", True),
    },
}


def _names(enum: type[RegistrationStatus] | type[PracticeCategory] | type[ApplicationType]) -> dict[str, str]:
    """What the export may call each member: its value, its Chinese and English labels."""
    names: dict[str, str] = {}
    for member, shown in LABELS[enum].items():
        names |= {member.value: member.value, shown.zh: member.value, shown.en: member.value}
    return names


STATUS_NAMES = _names(RegistrationStatus) | {
    "注册备案": "filed", "执业备案": "filed", "执业信息无效": "filed", "注销": "deregistered",
}  # fmt: skip
CATEGORY_NAMES = _names(PracticeCategory) | {"中医（专长）": "tcm_specialty"}
CHANGE_NAMES = _names(ApplicationType)


class RowRefused(Exception):
    """A row the import cannot take: which field, and why (Chinese first, for the operators)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


@dataclass(frozen=True)
class ImportedRegistration:
    line: int
    certificate_number: str
    real_name: str
    id_number_masked: str
    qualification_code: str
    category: PracticeCategory
    practice_scope: str | None
    institution_code: str
    registered_on: date
    status: RegistrationStatus
    filed_on: date | None
    deregistered_on: date | None

    @property
    def account_id(self) -> UUID:
        return placeholder_account(self.certificate_number)


@dataclass(frozen=True)
class ImportedMultiSite:
    line: int
    certificate_number: str
    institution_code: str
    starts_on: date
    ends_on: date
    ended_on: date | None

    @property
    def filing_id(self) -> UUID:
        return uuid.uuid5(IMPORT_NAMESPACE, f"{self.certificate_number}/{self.institution_code}/{self.starts_on}")


@dataclass(frozen=True)
class ImportedChange:
    line: int
    certificate_number: str
    changed_on: date
    change: ApplicationType
    institution_code: str
    status: RegistrationStatus


def placeholder_account(certificate_number: str) -> UUID:
    """The account id an imported registration is kept under until its physician's account claims it."""
    return uuid.uuid5(IMPORT_NAMESPACE, f"register/{certificate_number}")


def _text(row: Mapping[str, str], field: str, *, required: bool = True) -> str | None:
    value = (row.get(field) or "").strip()
    if required and not value:
        raise RowRefused(field, f"必填，不能为空 (required: {field} is empty)")
    return value or None


def _code(row: Mapping[str, str], field: str) -> str:
    code = (_text(row, field) or "").upper()
    if not 1 <= len(code) <= 40 or not code.isalnum():
        raise RowRefused(field, f"编码应为1至40位字母或数字 (a code has 1 to 40 letters and digits: {code!r})")
    return code


def _credit_code(row: Mapping[str, str], field: str) -> str:
    code = (_text(row, field) or "").upper()
    if not uscc.is_valid(code):
        raise RowRefused(field, f"不是有效的统一社会信用代码 (not a unified social credit code: {code!r})")
    return code


def _date(row: Mapping[str, str], field: str, *, required: bool = True) -> date | None:
    value = _text(row, field, required=required)
    if value is None:
        return None
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise RowRefused(field, f"日期格式应为 YYYY-MM-DD (a date is written YYYY-MM-DD: {value!r})") from None


def _named(row: Mapping[str, str], field: str, names: Mapping[str, str]) -> str:
    value = _text(row, field) or ""
    if value not in names:
        known = "、".join(sorted({n for n in names if not n.isascii()}))
        raise RowRefused(field, f"无法识别“{value}”，可用：{known} (unknown {field} {value!r})")
    return names[value]


def _id_number(row: Mapping[str, str]) -> str:
    number = (_text(row, "id_number") or "").upper()
    if not is_resident_id_number(number):
        raise RowRefused("id_number", "不是有效的居民身份证号码 (not a resident ID number: 18 characters, GB 11643)")
    return mask_id_number(number)  # licensing keeps ID numbers only masked


def _dates_of_status(status: RegistrationStatus, filed_on: date | None, deregistered_on: date | None) -> None:
    if status is RegistrationStatus.FILED and filed_on is None:
        raise RowRefused("filed_on", "注册备案的记录须有备案日期 (a filed registration needs its filing date)")
    if status is RegistrationStatus.DEREGISTERED and deregistered_on is None:
        raise RowRefused("deregistered_on", "注销的记录须有注销日期 (a deregistered registration needs its date)")


def registration_of(row: Mapping[str, str], line: int) -> ImportedRegistration:
    """One registration from its row (English column names), or RowRefused."""
    status = RegistrationStatus(_named(row, "status", STATUS_NAMES))
    filed_on, deregistered_on = _date(row, "filed_on", required=False), _date(row, "deregistered_on", required=False)
    _dates_of_status(status, filed_on, deregistered_on)
    return ImportedRegistration(
        line=line,
        certificate_number=_code(row, "certificate_number"),
        real_name=_text(row, "real_name") or "",
        id_number_masked=_id_number(row),
        qualification_code=_code(row, "qualification_code"),
        category=PracticeCategory(_named(row, "category", CATEGORY_NAMES)),
        practice_scope=_text(row, "practice_scope", required=False),
        institution_code=_credit_code(row, "institution_credit_code"),
        registered_on=_date(row, "registered_on") or date.min,
        status=status,
        filed_on=filed_on if status is RegistrationStatus.FILED else None,
        deregistered_on=deregistered_on if status is RegistrationStatus.DEREGISTERED else None,
    )


def multi_site_of(row: Mapping[str, str], line: int) -> ImportedMultiSite:
    """One multi-site filing from its row, or RowRefused (its period must start before it ends)."""
    starts_on, ends_on = _date(row, "starts_on") or date.min, _date(row, "ends_on") or date.min
    if starts_on >= ends_on:
        raise RowRefused("ends_on", "有效期结束时间须晚于开始时间 (the period must start before it ends)")
    return ImportedMultiSite(
        line=line,
        certificate_number=_code(row, "certificate_number"),
        institution_code=_credit_code(row, "institution_credit_code"),
        starts_on=starts_on,
        ends_on=ends_on,
        ended_on=_date(row, "ended_on", required=False),
    )


def change_of(row: Mapping[str, str], line: int) -> ImportedChange:
    """One entry of a registration's history from its row, or RowRefused."""
    return ImportedChange(
        line=line,
        certificate_number=_code(row, "certificate_number"),
        changed_on=_date(row, "changed_on") or date.min,
        change=ApplicationType(_named(row, "change", CHANGE_NAMES)),
        institution_code=_credit_code(row, "institution_credit_code"),
        status=RegistrationStatus(_named(row, "status", STATUS_NAMES)),
    )


PARSERS = {REGISTRATIONS: registration_of, MULTI_SITE_FILINGS: multi_site_of, HISTORY: change_of}


def english_header(kind: str, header: list[str]) -> list[str]:
    """The file's header with Chinese column names put in English; RowRefused names a required column missing."""
    chinese = {zh: en for en, (zh, _) in COLUMNS[kind].items()}
    named = [chinese.get(h.strip().lstrip("\ufeff"), h.strip().lstrip("\ufeff")) for h in header]
    missing = [en for en, (zh, required) in COLUMNS[kind].items() if required and en not in named]
    if missing:
        wanted = ", ".join(f"{en} ({COLUMNS[kind][en][0]})" for en in missing)
        raise RowRefused("header", f"表头缺少列 (the header lacks): {wanted}")
    return named
