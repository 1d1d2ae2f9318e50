"""Whether a physician may file an application now: every precondition of DOMAIN.md §2, with its reason.

`refusal` is checked when a draft is made and again when it is submitted; `register_refusal` alone is
checked again for every open application whenever the register changes, and an application that fails it
is closed. Time-based rules (the two-year limit of cancelling a filing) count at submission only: a
physician who applied in time is not refused because the reviewers took a while.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from applications.domain.register import Account, Applicant, Physician, Register
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import AccountStatus, RegistrationStatus
from contracts.enums import ApplicationType as T
from regsys_runtime.errors import Conflict, DomainError, InvalidField, Message

CANCEL_FILING_YEARS = 2


class CannotFile(Conflict):
    """A precondition refuses the application (409)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code, detail, title=Message("The application cannot be filed", zh="申请无法提交"))


class OpenElsewhere(CannotFile):
    """One open application per part of the register and account (domain.kinds.affects)."""

    def __init__(self) -> None:
        super().__init__(
            "application-open",
            "You have an open application affecting the same registration; wait for its decision or withdraw it.",
        )


@dataclass(frozen=True)
class Refusal:
    code: str
    detail: str
    field: str | None = None  # set when the refusal is about one input field (a 422 rather than a 409)

    def error(self) -> DomainError:
        return InvalidField(self.field, self.detail) if self.field else CannotFile(self.code, self.detail)


UNVERIFIED = Refusal("account-unverified", "Your qualification has not been verified; no application until it is.")
NO_VALID_REGISTRATION = Refusal("no-valid-registration", "This needs a valid practice registration, and you hold none.")


def cancel_filing_deadline(filed_on: date) -> date:
    """The last day a filing may be cancelled: two years on, the same day (29 February → 28 February)."""
    year = filed_on.year + CANCEL_FILING_YEARS
    try:
        return filed_on.replace(year=year)
    except ValueError:  # 29 February, and the year two on is not a leap year
        return filed_on.replace(year=year, day=28)


def _filing_too_old(filed_on: date) -> Refusal:
    """The two years count from the filing day and include the same day two years on (the seed's 不超过两年)."""
    last = cancel_filing_deadline(filed_on)
    return Refusal(
        "filing-too-old",
        Message(
            f"A filing can be cancelled within two years; yours of {filed_on} could be until {last}.",
            zh=f"取消备案仅限备案时间不超过两年的医师办理：您的备案日期为 {filed_on}，"
            f"最迟可于 {last} 申请，现已超过两年。",
        ),
    )


def account_refusal(account: Account | None) -> Refusal | None:
    if account is None or account.status is AccountStatus.UNVERIFIED or account.category is None:
        return UNVERIFIED
    if account.status is not AccountStatus.ACTIVE:
        return Refusal("account-not-active", "Your account must be activated before you apply.")
    return None


def _valid(register: Register | None) -> Refusal | None:
    if register is None or register.status is not RegistrationStatus.VALID:
        return NO_VALID_REGISTRATION
    return None


def _initial(details: ApplicationDetails, register: Register | None) -> Refusal | None:
    if register is not None and register.status is not RegistrationStatus.DEREGISTERED:
        return Refusal("already-registered", "You already hold a practice registration; apply for a change instead.")
    return None


def _change(details: ApplicationDetails, register: Register | None) -> Refusal | None:
    if register is None or register.status is not RegistrationStatus.VALID:
        return NO_VALID_REGISTRATION
    if details.target_institution_id == register.main_institution_id:
        return Refusal(
            "same-institution", "You already practise at this institution; choose another one.", "institution_id"
        )
    return None


def _multi_site(details: ApplicationDetails, register: Register | None) -> Refusal | None:
    if register is None or register.status is not RegistrationStatus.VALID:
        return NO_VALID_REGISTRATION
    starts, ends = details.multi_site_starts_on, details.multi_site_ends_on
    if starts is None or ends is None or starts >= ends:
        return Refusal("invalid-period", "The validity period must start before it ends.", "ends_on")
    if details.target_institution_id == register.main_institution_id:
        return Refusal(
            "main-institution", "This is your main institution; file a multi-site practice elsewhere.", "institution_id"
        )
    if register.multi_site_at(details.target_institution_id) is not None:
        return Refusal("already-filed-there", "You already hold a multi-site filing at this institution.")
    return None


def _cancel_multi_site(details: ApplicationDetails, register: Register | None) -> Refusal | None:
    if register is None or register.multi_site(details.multi_site_filing_id) is None:
        return Refusal("no-such-filing", "You hold no valid multi-site filing with this id.", "filing_id")
    return None


def _cancel_filing(details: ApplicationDetails, register: Register | None) -> Refusal | None:
    if register is None or register.status is not RegistrationStatus.FILED:
        return Refusal("not-filed", "Only a registration whose status is “filed” can have its filing cancelled.")
    return None


def _deregistration(details: ApplicationDetails, register: Register | None) -> Refusal | None:
    if register is None or register.status is RegistrationStatus.DEREGISTERED:
        return Refusal("not-registered", "You hold no practice registration to deregister.")
    return None


def _photo(details: ApplicationDetails, register: Register | None) -> Refusal | None:
    if register is None or register.status is RegistrationStatus.DEREGISTERED:
        return Refusal("not-registered", "Only a physician registered at an institution can update the photo.")
    return None


RULES = {
    T.INITIAL_REGISTRATION: _initial,
    T.CHANGE_REGISTRATION: _change,
    T.MULTI_SITE_FILING: _multi_site,
    T.CANCEL_MULTI_SITE_FILING: _cancel_multi_site,
    T.PRACTICE_FILING: lambda details, register: _valid(register),
    T.CANCEL_FILING: _cancel_filing,
    T.DEREGISTRATION: _deregistration,
    T.PHOTO_UPDATE: _photo,
}


def register_refusal(
    kind: T, details: ApplicationDetails, register: Register | None, *, today: date | None = None
) -> Refusal | None:
    """What in the register forbids the application; with `today`, the time-based rules count too."""
    if refused := RULES[kind](details, register):
        return refused
    if today is None or register is None:
        return None
    if kind is T.CANCEL_FILING and register.filed_on and today > cancel_filing_deadline(register.filed_on):
        return _filing_too_old(register.filed_on)
    if kind is T.MULTI_SITE_FILING and details.multi_site_ends_on and details.multi_site_ends_on < today:
        return Refusal("period-over", "The validity period has already ended.", "ends_on")
    return None


def refusal(
    kind: T, details: ApplicationDetails, *, account: Account | None, register: Register | None, today: date
) -> Refusal | None:
    """Why the physician may not file this application now, or None. (One open per part is checked apart.)"""
    return account_refusal(account) or register_refusal(kind, details, register, today=today)


def applicant(
    kind: T, details: ApplicationDetails, *, physician: Physician | None, register: Register | None, today: date
) -> Applicant:
    """Who files the application if every precondition holds now; raises the refusal if one does not."""
    account = physician.account if physician else None
    refused = refusal(kind, details, account=account, register=register, today=today)
    if refused is None and physician is not None and physician.category is not None:
        return Applicant(physician.real_name, physician.id_number_masked, physician.category)
    raise (refused or UNVERIFIED).error()
