"""Resident ID numbers (GB 11643): the one check every service applies, and what it found wrong.

python-stdnum knows the rules and the region table. Its `ric.validate` raises a KeyError instead of a
ValidationError for a six-digit code under a known prefecture that its table has no county for (110001, for
one: a third of all codes), so every service asks here rather than calling it: an ID number is never a 500.
"""

from __future__ import annotations

from enum import StrEnum

from stdnum.cn import ric
from stdnum.exceptions import ValidationError


class IdNumberFault(StrEnum):
    FORMAT = "format"  # not 17 digits and a final digit or X
    CHECK_CHARACTER = "check_character"
    BIRTH_DATE = "birth_date"  # characters 7 to 14 are no real date
    BIRTH_PLACE = "birth_place"  # the first six digits are no known region code


def id_number_fault(number: str) -> IdNumberFault | None:
    """What is wrong with an ID number (already stripped and upper-cased), or None when it is a resident ID number."""
    if not number.isascii() or len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return IdNumberFault.FORMAT
    if ric.calc_check_digit(number) != number[17]:
        return IdNumberFault.CHECK_CHARACTER
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return IdNumberFault.BIRTH_DATE
    try:
        ric.get_birth_place(number)
    except (ValidationError, KeyError):
        return IdNumberFault.BIRTH_PLACE
    return None


def is_resident_id_number(number: str) -> bool:
    return id_number_fault(number) is None
