"""What applications knows of a physician and their practice registration (read models), as plain values."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from contracts.enums import AccountStatus, PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord

# a qualification check never takes an account back from these
PAST_THE_CHECK = frozenset({AccountStatus.SECURED, AccountStatus.ACTIVE, AccountStatus.DISABLED})


@dataclass(frozen=True)
class Account:
    status: AccountStatus
    category: PracticeCategory | None  # set once the qualification auto-check matched


@dataclass(frozen=True)
class Applicant:
    """The physician as an application names them: who files it, and in which category."""

    name: str
    id_number_masked: str
    category: PracticeCategory


@dataclass(frozen=True)
class Physician:
    """A physician's account as identity's events told it."""

    account_id: UUID
    real_name: str
    id_number_masked: str
    account_status: AccountStatus
    category: PracticeCategory | None = None

    @property
    def account(self) -> Account:
        return Account(status=self.account_status, category=self.category)

    def qualification_checked(self, *, matched: bool, category: PracticeCategory | None) -> Physician:
        """After the auto-check: a match sets the category; the status moves only if not already past the check."""
        status = self.account_status
        if status not in PAST_THE_CHECK:
            status = AccountStatus.VERIFIED if matched else AccountStatus.UNVERIFIED
        return replace(self, category=category if matched else self.category, account_status=status)


@dataclass(frozen=True)
class Register:
    status: RegistrationStatus
    main_institution_id: UUID
    filed_on: date | None = None
    filing_institution_id: UUID | None = None
    multi_sites: tuple[MultiSiteRecord, ...] = ()

    def multi_site(self, filing_id: UUID | None) -> MultiSiteRecord | None:
        return next((m for m in self.multi_sites if m.filing_id == filing_id), None)

    def multi_site_at(self, institution_id: UUID | None) -> MultiSiteRecord | None:
        return next((m for m in self.multi_sites if m.institution_id == institution_id), None)
