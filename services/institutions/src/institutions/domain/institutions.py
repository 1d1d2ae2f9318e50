"""An institution's record, and what loading one requires."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from uuid import UUID

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from institutions.domain.regions import checked_region_code
from regsys_runtime.errors import Conflict, InvalidField, InvalidFields, Message


@dataclass(frozen=True)
class Institution:
    id: UUID
    name: str
    credit_code: str
    licence_number: str
    region_code: str
    level: str | None = None
    address: str | None = None
    auto_activation: bool = False


class InvalidCreditCode(InvalidField):
    def __init__(self, message: str) -> None:
        super().__init__(
            "credit_code",
            message,
            detail=Message("Not a valid unified social credit code.", zh="不是有效的统一社会信用代码。"),
        )


class InvalidName(InvalidField):
    def __init__(self) -> None:
        super().__init__(
            "name",
            Message(
                "Enter the institution's registered name: at least two characters, not only digits or signs.",
                zh="请输入机构的登记名称：至少两个字，不能只有数字或符号。",
            ),
        )


class InstitutionExists(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "institution-exists",
            Message("An institution with this credit code is already loaded.", zh="该统一社会信用代码的机构已经导入。"),
            fields={"credit_code": Message("Already loaded.", zh="已导入。")},
        )


CREDIT_CODE_MESSAGES: tuple[tuple[type[ValidationError], Message], ...] = (
    (InvalidLength, Message("A unified social credit code has 18 characters.", zh="统一社会信用代码有 18 位。")),
    (
        InvalidChecksum,
        Message(
            "The check character (the last one) does not match: please check the code.",
            zh="校验位（最后一位）不符，请核对代码。",
        ),
    ),
    (
        ValidationError,
        Message(
            "The first 8 characters are digits, the others digits or capital letters except I, O, S, V, Z.",
            zh="前 8 位是数字，其余是数字或除 I、O、S、V、Z 以外的大写字母。",
        ),
    ),
)
TEXT_LIMITS = {"name": 100, "licence_number": 40, "level": 20, "address": 200}


class TextTooLong(InvalidField):
    def __init__(self, field: str) -> None:
        limit = TEXT_LIMITS[field]
        super().__init__(field, Message(f"At most {limit} characters.", zh=f"最多 {limit} 个字。"))


class LicenceNumberMissing(InvalidField):
    def __init__(self) -> None:
        super().__init__(
            "licence_number",
            Message("Enter the registration number of the practice licence.", zh="请填写医疗机构执业许可证登记号。"),
        )


def checked_credit_code(code: str) -> str:
    """The code as stored (capitals, no blanks or dashes), if it is a valid code (GB 32100, `stdnum.cn.uscc`)."""
    try:
        return str(uscc.validate(code))
    except ValidationError as wrong:
        raise InvalidCreditCode(next(m for kind, m in CREDIT_CODE_MESSAGES if isinstance(wrong, kind))) from None


def checked_name(name: str) -> str:
    """A real name: two characters or more, with a letter or a Chinese character (not `00`, not `-`)."""
    text = name.strip()
    if len(text) < 2 or not any(unicodedata.category(c).startswith("L") for c in text):
        raise InvalidName()
    return text


def checked_licence_number(number: str) -> str:
    if not number.strip():
        raise LicenceNumberMissing()
    if len(number) > TEXT_LIMITS["licence_number"]:
        raise TextTooLong("licence_number")
    return number


def institution_of(row: Mapping[str, str]) -> Institution:
    """An institution from the text cells of an import's row (an empty optional cell is no value), checked."""
    return checked(Institution(
        id=uuid.uuid4(), name=row.get("name", ""), credit_code=row.get("credit_code", ""),
        licence_number=row.get("licence_number", ""), region_code=row.get("region_code", ""),
        level=row.get("level") or None, address=row.get("address") or None,
    ))  # fmt: skip


def checked(institution: Institution) -> Institution:
    """The institution as it will be stored; else its one refusal, or every bad field with its message."""
    refusals: list[InvalidField] = []

    def attempt(check: Callable[[str], str], value: str) -> str:
        try:
            return check(value)
        except InvalidField as refused:
            refusals.append(refused)
            return value

    name = attempt(checked_name, institution.name)
    credit_code = attempt(checked_credit_code, institution.credit_code)
    attempt(checked_region_code, institution.region_code)
    attempt(checked_licence_number, institution.licence_number)
    for field, value in (("name", name), ("level", institution.level), ("address", institution.address)):
        if value and len(value) > TEXT_LIMITS[field]:
            refusals.append(TextTooLong(field))
    if len(refusals) == 1:
        raise refusals[0]
    if refusals:
        raise InvalidFields({f: m for refused in refusals for f, m in refused.fields.items()})
    return replace(institution, name=name, credit_code=credit_code)
