"""Looking a physician up: what an officer asks for, and what they are told of each physician found."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from contracts.enums import RegistrationStatus
from contracts.id_numbers import is_resident_id_number
from regsys_runtime.errors import InvalidField, InvalidFields, Message

SEARCH_FIELDS = ("name", "certificate_number", "id_number")


@dataclass(frozen=True)
class PhysicianWanted:
    """What the physicians found must match, all of it. Licensing holds ID numbers only masked (the first six
    and the last four characters), so a full ID number narrows the search to the physicians it could be."""

    name: str | None = None
    certificate_number: str | None = None
    id_number_masked: str | None = None


@dataclass(frozen=True)
class PhysicianFound:
    account_id: UUID
    name: str
    id_number_masked: str
    certificate_number: str | None  # None: not on the register (yet), only an application in the region
    status: RegistrationStatus | None
    main_institution_id: UUID | None


def mask_id_number(number: str) -> str:
    """The ID number as every service shows it: the first six and the last four characters."""
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def wanted(*, name: str | None, certificate_number: str | None, id_number: str | None) -> PhysicianWanted:
    """The search, or InvalidFields: at least one of the three, and an ID number that is one (GB 11643)."""
    name = (name or "").strip() or None
    if not (name or certificate_number or id_number):
        raise InvalidFields(
            {
                f: Message(
                    "Enter a name, a certificate number or an ID number.", zh="请输入姓名、证书编号或身份证号码。"
                )
                for f in SEARCH_FIELDS
            },
            detail=Message("Say whom to look up.", zh="请说明要查询的医师。"),
        )
    masked = None
    if id_number:
        number = id_number.strip().upper()
        if not is_resident_id_number(number):
            message = "This is not a resident ID number (18 characters, a real birth date, the right check)."
            raise InvalidField("id_number", message)
        masked = mask_id_number(number)
    return PhysicianWanted(name=name, certificate_number=certificate_number, id_number_masked=masked)
