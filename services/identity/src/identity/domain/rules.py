"""Rules of a person's identity: names, ID numbers, phones, passwords. Pure functions, no I/O."""

from __future__ import annotations

import re

from stdnum.cn import ric

from contracts.id_numbers import IdNumberFault, id_number_fault
from identity.domain.common_passwords import is_common_password
from regsys_runtime.errors import Message

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_REAL_NAME = re.compile(r"^[^\W\d_]+(?:[·•][^\W\d_]+)*$")
_LATIN = re.compile(r"[A-Za-z]")

ID_FORMAT = Message(
    "An ID number has 17 digits and a final digit or X.", zh="身份证号由 17 位数字和最后一位数字或 X 组成。"
)
ID_CHECK_WRONG = Message(
    "This ID number's check character is wrong; please check it.", zh="身份证号的校验位不正确，请核对。"
)
ID_BIRTH_DATE = Message(
    "The birth date in this ID number (characters 7 to 14) is not a real date; please check it.",
    zh="身份证号中的出生日期（第 7 至 14 位）不是有效日期，请核对。",
)
ID_BIRTH_PLACE = Message(
    "The first six digits of this ID number are not a known region code; please check it.",
    zh="身份证号前六位不是有效的行政区划代码，请核对。",
)
_ID_FAULTS = {
    IdNumberFault.FORMAT: ID_FORMAT,
    IdNumberFault.CHECK_CHARACTER: ID_CHECK_WRONG,
    IdNumberFault.BIRTH_DATE: ID_BIRTH_DATE,
    IdNumberFault.BIRTH_PLACE: ID_BIRTH_PLACE,
}
REAL_NAME = Message(
    "Enter your real name as on your ID card, without letters or digits.",
    zh="请填写与身份证一致的真实姓名，不能含字母或数字。",
)
PHONE = Message(
    "Enter a mainland mobile number: 11 digits starting with 1.", zh="请填写中国大陆手机号：以 1 开头的 11 位数字。"
)
PASSWORD_LENGTH = Message("A password has 6 to 16 characters.", zh="密码长度为 6 至 16 位。")
PASSWORD_MIX = Message("A password must contain both letters and digits.", zh="密码必须同时包含字母和数字。")
PASSWORD_COMMON = Message(
    "This password is among the most often used ones; choose one that is harder to guess.",
    zh="这个密码属于最常用的密码（常见密码前 10 万名），很容易被猜中，请换一个更难猜的密码。",
)
PASSWORDS_DIFFER = Message(
    "The two passwords differ; enter the same password twice.", zh="两次输入的密码不一致，请输入相同的密码。"
)


class RuleViolation(ValueError):
    """One field breaks one rule; the message is what the person sees beside the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def id_check_character(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits (computed by python-stdnum)."""
    return ric.calc_check_digit(first17 + "?")  # stdnum's function reads the 17 digits before the last


def normalize_id_number(value: str) -> str:
    """A resident ID number (GB 11643, checked by `contracts.id_numbers`: 18 characters, a real birth date, a known
    region and the check character); lowercase x accepted."""
    number = value.strip().upper()
    if fault := id_number_fault(number):
        raise RuleViolation("id_number", _ID_FAULTS[fault])
    return number


def mask_id_number(number: str) -> str:
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def normalize_real_name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > 50 or _LATIN.search(name) or not _REAL_NAME.match(name):
        raise RuleViolation("real_name", REAL_NAME)
    return name


def normalize_phone(value: str) -> str:
    phone = value.strip()
    if not _MOBILE.match(phone):
        raise RuleViolation("phone", PHONE)
    return phone


def check_password(password: str, *, field: str = "password") -> None:
    """The seed's policy (6-16 characters, letters and digits, case-sensitive) and none of the 100,000 most common."""
    if not 6 <= len(password) <= 16:
        raise RuleViolation(field, PASSWORD_LENGTH)
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise RuleViolation(field, PASSWORD_MIX)
    if is_common_password(password):
        raise RuleViolation(field, PASSWORD_COMMON)


def check_new_password(password: str, confirmation: str, *, field: str = "password") -> None:
    check_password(password, field=field)
    if confirmation != password:
        raise RuleViolation(f"{field}_confirmation", PASSWORDS_DIFFER)


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


_ID_NUMBER_ANYWHERE = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")


def find_id_numbers(text: str) -> set[str]:
    """Every resident ID number with a right check character written anywhere in `text` (a real birth date or
    not: a leak is a leak)."""
    return {n for n in _ID_NUMBER_ANYWHERE.findall(text) if ric.calc_check_digit(n) == n[17]}
