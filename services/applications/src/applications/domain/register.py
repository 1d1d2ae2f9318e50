"""What applications knows of an account and its practice registration (read models), as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from contracts.enums import AccountStatus, PracticeCategory, RegistrationStatus


@dataclass(frozen=True)
class Account:
    status: AccountStatus
    category: PracticeCategory | None  # set once the qualification auto-check matched


@dataclass(frozen=True)
class MultiSite:
    filing_id: UUID
    institution_id: UUID
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Register:
    status: RegistrationStatus
    main_institution_id: UUID
    filed_on: date | None = None
    filing_institution_id: UUID | None = None
    multi_sites: tuple[MultiSite, ...] = ()

    def multi_site(self, filing_id: UUID | None) -> MultiSite | None:
        return next((m for m in self.multi_sites if m.filing_id == filing_id), None)

    def multi_site_at(self, institution_id: UUID | None) -> MultiSite | None:
        return next((m for m in self.multi_sites if m.institution_id == institution_id), None)
