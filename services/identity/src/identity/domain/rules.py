"""Rules of a person's identity: names, ID numbers, phones, passwords. Pure functions, no I/O."""

from __future__ import annotations

import re

from identity.domain.common_passwords import is_common_password

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_ID_FORMAT = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_REAL_NAME = re.compile(r"^[^\W\d_]+(?:[·•][^\W\d_]+)*$")
_LATIN = re.compile(r"[A-Za-z]")


class RuleViolation(ValueError):
    """One field breaks one rule; the message is what the person sees beside the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    """A resident ID number (GB 11643): 18 characters, the last a check character; lowercase x accepted."""
    number = value.strip().upper()
    if not _ID_FORMAT.match(number):
        raise RuleViolation("id_number", "An ID number has 17 digits and a final digit or X.")
    if id_check_character(number[:17]) != number[17]:
        raise RuleViolation("id_number", "This ID number's check character is wrong; please check it.")
    return number


def mask_id_number(number: str) -> str:
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def normalize_real_name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > 50 or _LATIN.search(name) or not _REAL_NAME.match(name):
        raise RuleViolation("real_name", "Enter your real name as on your ID card, without letters or digits.")
    return name


def normalize_phone(value: str) -> str:
    phone = value.strip()
    if not _MOBILE.match(phone):
        raise RuleViolation("phone", "Enter a mainland mobile number: 11 digits starting with 1.")
    return phone


def check_password(password: str, *, field: str = "password") -> None:
    """The seed's policy (6-16 characters, letters and digits, case-sensitive) and no well-known password."""
    if not 6 <= len(password) <= 16:
        raise RuleViolation(field, "A password has 6 to 16 characters.")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise RuleViolation(field, "A password must contain both letters and digits.")
    if is_common_password(password):
        raise RuleViolation(
            field, "This password is among the most often used ones; choose one that is harder to guess."
        )


def check_new_password(password: str, confirmation: str, *, field: str = "password") -> None:
    check_password(password, field=field)
    if confirmation != password:
        raise RuleViolation(f"{field}_confirmation", "The two passwords differ; enter the same password twice.")


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


_ID_NUMBER_ANYWHERE = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")


def find_id_numbers(text: str) -> set[str]:
    """Every valid resident ID number (check character included) written anywhere in `text`."""
    return {n for n in _ID_NUMBER_ANYWHERE.findall(text) if id_check_character(n[:17]) == n[17]}
