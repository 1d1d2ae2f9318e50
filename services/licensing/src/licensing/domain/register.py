"""The practice register: what each approved application (and the passing of time) does to a registration.

Pure: `apply` takes the registration as it is and a change, and returns the registration as it becomes,
or raises RegisterRuleBroken with a reason an officer can act on (the register moved on since the
physician applied). The service persists the result in one place (service.register.apply_change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.enums import ApplicationType as T
from contracts.enums import PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord

MULTI_SITE_EXPIRED = "multi_site_expired"  # the cause in the history when time ended multi-site filings
MULTI_SITE_EXPIRED_ZH = "多点执业备案有效期届满"  # the reason the register gives for it


class RegisterRuleBroken(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Registration:
    certificate_number: str
    status: RegistrationStatus
    category: PracticeCategory
    practice_scope: str | None
    main_institution_id: UUID
    filed_on: date | None = None
    filing_institution_id: UUID | None = None
    photo_sha256: str | None = None
    multi_sites: tuple[MultiSiteRecord, ...] = ()

    def multi_site(self, filing_id: UUID | None) -> MultiSiteRecord | None:
        return next((m for m in self.multi_sites if m.filing_id == filing_id), None)

    def multi_site_at(self, institution_id: UUID | None) -> MultiSiteRecord | None:
        return next((m for m in self.multi_sites if m.institution_id == institution_id), None)


@dataclass(frozen=True)
class Change:
    """An approved application, as far as the register is concerned."""

    kind: T
    institution_id: UUID  # the reviewing institution
    category: PracticeCategory
    practice_scope: str | None = None
    target_institution_id: UUID | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    filing_id: UUID | None = None  # the multi-site filing to cancel, or the id of a new one
    photo_sha256: str | None = None
    certificate_number: str | None = None  # a new registration's number


def _valid(current: Registration | None) -> Registration:
    if current is None or current.status is not RegistrationStatus.VALID:
        raise RegisterRuleBroken("no-valid-registration", "The physician no longer holds a valid registration.")
    return current


def _initial(current: Registration | None, change: Change, today: date) -> Registration:
    if current is not None and current.status is not RegistrationStatus.DEREGISTERED:
        raise RegisterRuleBroken("already-registered", "The physician already holds a practice registration.")
    if not change.certificate_number:
        raise ValueError("a new registration needs its certificate number")
    return Registration(
        certificate_number=change.certificate_number,
        status=RegistrationStatus.VALID,
        category=change.category,
        practice_scope=change.practice_scope,
        main_institution_id=change.institution_id,
        photo_sha256=change.photo_sha256,
    )


def _change(current: Registration | None, change: Change, today: date) -> Registration:
    registration = _valid(current)
    if change.target_institution_id == registration.main_institution_id:
        raise RegisterRuleBroken("same-institution", "The physician already practises mainly at this institution.")
    if change.target_institution_id is None:
        raise ValueError("a change of registration names the new main institution")
    # a multi-site filing at the new main institution has nothing left to add
    sites = tuple(m for m in registration.multi_sites if m.institution_id != change.target_institution_id)
    return replace(registration, main_institution_id=change.target_institution_id, multi_sites=sites)


def _multi_site(current: Registration | None, change: Change, today: date) -> Registration:
    registration = _valid(current)
    if change.target_institution_id == registration.main_institution_id:
        raise RegisterRuleBroken("main-institution", "This is now the physician's main institution.")
    if registration.multi_site_at(change.target_institution_id):
        raise RegisterRuleBroken("already-filed-there", "The physician already holds a filing at this institution.")
    if not (change.starts_on and change.ends_on and change.starts_on < change.ends_on):
        raise RegisterRuleBroken("invalid-period", "The validity period must start before it ends.")
    if change.ends_on < today:
        raise RegisterRuleBroken("period-over", "The validity period has already ended.")
    if change.filing_id is None or change.target_institution_id is None:
        raise ValueError("a multi-site filing names its filing and its institution")
    site = MultiSiteRecord(
        filing_id=change.filing_id,
        institution_id=change.target_institution_id,
        starts_on=change.starts_on,
        ends_on=change.ends_on,
    )
    return replace(registration, multi_sites=(*registration.multi_sites, site))


def _cancel_multi_site(current: Registration | None, change: Change, today: date) -> Registration:
    if current is None or current.multi_site(change.filing_id) is None:
        raise RegisterRuleBroken("no-such-filing", "That multi-site filing is no longer valid.")
    return replace(current, multi_sites=tuple(m for m in current.multi_sites if m.filing_id != change.filing_id))


def _practice_filing(current: Registration | None, change: Change, today: date) -> Registration:
    registration = _valid(current)
    return replace(
        registration,
        status=RegistrationStatus.FILED,
        filed_on=today,
        filing_institution_id=registration.main_institution_id,
    )


def _cancel_filing(current: Registration | None, change: Change, today: date) -> Registration:
    if current is None or current.status is not RegistrationStatus.FILED:
        raise RegisterRuleBroken("not-filed", "The registration is no longer filed.")
    return replace(current, status=RegistrationStatus.VALID, filed_on=None, filing_institution_id=None)


def _deregistration(current: Registration | None, change: Change, today: date) -> Registration:
    if current is None or current.status is RegistrationStatus.DEREGISTERED:
        raise RegisterRuleBroken("not-registered", "The physician holds no registration to deregister.")
    return replace(current, status=RegistrationStatus.DEREGISTERED, multi_sites=())


def _photo(current: Registration | None, change: Change, today: date) -> Registration:
    if current is None:
        raise RegisterRuleBroken("not-registered", "The physician holds no registration.")
    return replace(current, photo_sha256=change.photo_sha256)


RULES = {
    T.INITIAL_REGISTRATION: _initial,
    T.CHANGE_REGISTRATION: _change,
    T.MULTI_SITE_FILING: _multi_site,
    T.CANCEL_MULTI_SITE_FILING: _cancel_multi_site,
    T.PRACTICE_FILING: _practice_filing,
    T.CANCEL_FILING: _cancel_filing,
    T.DEREGISTRATION: _deregistration,
    T.PHOTO_UPDATE: _photo,
}


@dataclass(frozen=True)
class MultiSitesExpire:
    """The passing of time: the multi-site filings whose period ended before today end."""


RegisterChange = Change | MultiSitesExpire


def _expire(current: Registration | None, today: date) -> Registration:
    kept = tuple(m for m in current.multi_sites if m.ends_on >= today) if current else ()
    if current is None or len(kept) == len(current.multi_sites):
        raise RegisterRuleBroken("nothing-expired", "No multi-site filing of this physician has ended.")
    return replace(current, multi_sites=kept)


def apply(current: Registration | None, change: RegisterChange, today: date) -> Registration:
    """The registration after `change`, approved (or happening) on `today` — the filing date of a practice filing."""
    if isinstance(change, MultiSitesExpire):
        return _expire(current, today)
    return RULES[change.kind](current, change, today)


@dataclass(frozen=True)
class RegisterEntry:
    """A registration as the register holds it, and when it last changed."""

    registration: Registration
    updated_at: datetime
    version: int = 0  # one more with every change of the registration


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a registration: what caused it and the registration's snapshot after it."""

    cause: str  # the application type that changed it, or multi_site_expired
    cause_application_id: UUID | None
    changed_at: datetime
    snapshot: Mapping[str, Any]  # the RegistrationChanged payload published with the change
