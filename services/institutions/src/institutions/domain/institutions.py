"""An institution's record, and what loading one requires."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from institutions.domain.rules import credit_code_is_valid
from regsys_runtime.errors import Conflict, InvalidFields


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


class InvalidCreditCode(InvalidFields):
    def __init__(self) -> None:
        super().__init__({"credit_code": "Not a valid unified social credit code (check character wrong?)."})


class InstitutionExists(Conflict):
    def __init__(self) -> None:
        super().__init__("institution-exists", "An institution with this credit code is already loaded.")


def check_credit_code(code: str) -> None:
    if not credit_code_is_valid(code):
        raise InvalidCreditCode()
