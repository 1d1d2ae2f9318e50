"""Every precondition of every type, table-driven; the two-year limit of cancelling a filing to the day."""

import uuid
from datetime import date

import pytest

from applications.domain.kinds import affects, reviewing_institution
from applications.domain.preconditions import cancel_filing_deadline, refusal, register_refusal
from applications.domain.register import Account, Register
from contracts.applications.v1 import ApplicationDetails as D
from contracts.enums import AccountStatus, PracticeCategory, RegistrationStatus
from contracts.enums import ApplicationType as T
from contracts.licensing.v1 import MultiSiteRecord

TODAY = date(2026, 6, 15)
MAIN, OTHER, THIRD = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
FILING = uuid.uuid4()
ACTIVE = Account(AccountStatus.ACTIVE, PracticeCategory.TCM_SPECIALTY)
MULTI_SITE = MultiSiteRecord(
    filing_id=FILING, institution_id=OTHER, starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1)
)
VALID = Register(RegistrationStatus.VALID, MAIN, multi_sites=(MULTI_SITE,))
FILED = Register(RegistrationStatus.FILED, MAIN, filed_on=date(2025, 1, 1), filing_institution_id=MAIN)
GONE = Register(RegistrationStatus.DEREGISTERED, MAIN)
NO_REGISTER = None

MULTI = D(target_institution_id=THIRD, multi_site_starts_on=date(2026, 7, 1), multi_site_ends_on=date(2027, 7, 1))
# what each type asks for, when it is filled in well
GOOD = {
    T.INITIAL_REGISTRATION: D(target_institution_id=MAIN, practice_scope="内科"),
    T.CHANGE_REGISTRATION: D(target_institution_id=THIRD, reason="调动"),
    T.MULTI_SITE_FILING: MULTI,
    T.CANCEL_MULTI_SITE_FILING: D(multi_site_filing_id=FILING, reason="到期"),
    T.PRACTICE_FILING: D(reason="retired"),
    T.CANCEL_FILING: D(reason="返聘"),
    T.DEREGISTRATION: D(reason="health"),
    T.PHOTO_UPDATE: D(photo_sha256="ab" * 32),
}
# the register each type needs to succeed
NEEDS = {
    T.INITIAL_REGISTRATION: NO_REGISTER,
    T.CHANGE_REGISTRATION: VALID,
    T.MULTI_SITE_FILING: VALID,
    T.CANCEL_MULTI_SITE_FILING: VALID,
    T.PRACTICE_FILING: VALID,
    T.CANCEL_FILING: FILED,
    T.DEREGISTRATION: VALID,
    T.PHOTO_UPDATE: VALID,
}

CASES = [
    # (type, details, account, register, today, expected refusal code or None)
    *[(t, GOOD[t], ACTIVE, NEEDS[t], TODAY, None) for t in T],
    # the account: every type needs an active, verified one
    *[(t, GOOD[t], None, NEEDS[t], TODAY, "account-unverified") for t in T],
    *[(t, GOOD[t], Account(AccountStatus.UNVERIFIED, None), NEEDS[t], TODAY, "account-unverified") for t in T],
    *[
        (t, GOOD[t], Account(AccountStatus.SECURED, PracticeCategory.CLINICAL), NEEDS[t], TODAY, "account-not-active")
        for t in T
    ],
    *[
        (t, GOOD[t], Account(AccountStatus.DISABLED, PracticeCategory.CLINICAL), NEEDS[t], TODAY, "account-not-active")
        for t in T
    ],
    # initial registration: no registration unless deregistered
    (T.INITIAL_REGISTRATION, GOOD[T.INITIAL_REGISTRATION], ACTIVE, VALID, TODAY, "already-registered"),
    (T.INITIAL_REGISTRATION, GOOD[T.INITIAL_REGISTRATION], ACTIVE, FILED, TODAY, "already-registered"),
    (T.INITIAL_REGISTRATION, GOOD[T.INITIAL_REGISTRATION], ACTIVE, GONE, TODAY, None),
    # change, multi-site, practice filing: a valid registration
    *[
        (t, GOOD[t], ACTIVE, r, TODAY, "no-valid-registration")
        for t in (T.CHANGE_REGISTRATION, T.MULTI_SITE_FILING, T.PRACTICE_FILING)
        for r in (NO_REGISTER, FILED, GONE)
    ],
    # change: only to another institution
    (T.CHANGE_REGISTRATION, D(target_institution_id=MAIN, reason="x"), ACTIVE, VALID, TODAY, "same-institution"),
    (T.CHANGE_REGISTRATION, D(target_institution_id=OTHER, reason="x"), ACTIVE, VALID, TODAY, None),  # a multi-site one
    # multi-site: start < end, not the main institution, not twice at one, not already over
    (
        T.MULTI_SITE_FILING,
        MULTI.model_copy(update={"multi_site_ends_on": date(2026, 7, 1)}),
        ACTIVE,
        VALID,
        TODAY,
        "invalid-period",
    ),
    (
        T.MULTI_SITE_FILING,
        MULTI.model_copy(update={"multi_site_ends_on": date(2026, 6, 30)}),
        ACTIVE,
        VALID,
        TODAY,
        "invalid-period",
    ),
    (
        T.MULTI_SITE_FILING,
        MULTI.model_copy(update={"target_institution_id": MAIN}),
        ACTIVE,
        VALID,
        TODAY,
        "main-institution",
    ),
    (
        T.MULTI_SITE_FILING,
        MULTI.model_copy(update={"target_institution_id": OTHER}),
        ACTIVE,
        VALID,
        TODAY,
        "already-filed-there",
    ),
    (
        T.MULTI_SITE_FILING,
        D(target_institution_id=THIRD, multi_site_starts_on=date(2026, 1, 1), multi_site_ends_on=date(2026, 6, 14)),
        ACTIVE,
        VALID,
        TODAY,
        "period-over",
    ),
    (
        T.MULTI_SITE_FILING,
        D(target_institution_id=THIRD, multi_site_starts_on=date(2026, 1, 1), multi_site_ends_on=TODAY),
        ACTIVE,
        VALID,
        TODAY,
        None,
    ),
    # cancel multi-site: that filing is valid
    (
        T.CANCEL_MULTI_SITE_FILING,
        D(multi_site_filing_id=uuid.uuid4(), reason="x"),
        ACTIVE,
        VALID,
        TODAY,
        "no-such-filing",
    ),
    (T.CANCEL_MULTI_SITE_FILING, GOOD[T.CANCEL_MULTI_SITE_FILING], ACTIVE, NO_REGISTER, TODAY, "no-such-filing"),
    (T.CANCEL_MULTI_SITE_FILING, GOOD[T.CANCEL_MULTI_SITE_FILING], ACTIVE, GONE, TODAY, "no-such-filing"),
    # cancel filing: status filed, and at most two years ago
    *[(T.CANCEL_FILING, GOOD[T.CANCEL_FILING], ACTIVE, r, TODAY, "not-filed") for r in (NO_REGISTER, VALID, GONE)],
    (T.CANCEL_FILING, GOOD[T.CANCEL_FILING], ACTIVE, FILED, date(2027, 1, 1), None),
    (T.CANCEL_FILING, GOOD[T.CANCEL_FILING], ACTIVE, FILED, date(2027, 1, 2), "filing-too-old"),
    # deregistration: a registration that is not deregistered (a filed one may be)
    (T.DEREGISTRATION, GOOD[T.DEREGISTRATION], ACTIVE, FILED, TODAY, None),
    (T.DEREGISTRATION, GOOD[T.DEREGISTRATION], ACTIVE, GONE, TODAY, "not-registered"),
    (T.DEREGISTRATION, GOOD[T.DEREGISTRATION], ACTIVE, NO_REGISTER, TODAY, "not-registered"),
    # photo update: registered at an institution
    (T.PHOTO_UPDATE, GOOD[T.PHOTO_UPDATE], ACTIVE, FILED, TODAY, None),
    (T.PHOTO_UPDATE, GOOD[T.PHOTO_UPDATE], ACTIVE, GONE, TODAY, "not-registered"),
    (T.PHOTO_UPDATE, GOOD[T.PHOTO_UPDATE], ACTIVE, NO_REGISTER, TODAY, "not-registered"),
]


@pytest.mark.parametrize(("kind", "details", "account", "register", "today", "code"), CASES)
def test_every_precondition(kind, details, account, register, today, code):
    refused = refusal(kind, details, account=account, register=register, today=today)
    assert (refused.code if refused else None) == code
    if refused:
        assert refused.detail  # a reason a person can read


@pytest.mark.parametrize(
    ("filed_on", "last_day", "a_day_more"),
    [
        (date(2024, 2, 29), date(2026, 2, 28), date(2026, 3, 1)),  # filed on a leap day
        (date(2022, 2, 28), date(2024, 2, 28), date(2024, 2, 29)),  # a leap day is the day more
        (date(2023, 3, 1), date(2025, 3, 1), date(2025, 3, 2)),
        (date(2024, 3, 1), date(2026, 3, 1), date(2026, 3, 2)),
        (date(2025, 12, 31), date(2027, 12, 31), date(2028, 1, 1)),
    ],
)
def test_cancel_filing_allowed_exactly_two_years_and_not_a_day_more(filed_on, last_day, a_day_more):
    assert cancel_filing_deadline(filed_on) == last_day
    register = Register(RegistrationStatus.FILED, MAIN, filed_on=filed_on, filing_institution_id=MAIN)
    details = GOOD[T.CANCEL_FILING]
    assert refusal(T.CANCEL_FILING, details, account=ACTIVE, register=register, today=filed_on) is None
    assert refusal(T.CANCEL_FILING, details, account=ACTIVE, register=register, today=last_day) is None
    late = refusal(T.CANCEL_FILING, details, account=ACTIVE, register=register, today=a_day_more)
    assert late is not None
    assert late.code == "filing-too-old"
    assert str(last_day) in late.detail


def test_a_pending_cancel_filing_is_not_closed_for_time_passing():
    """Re-checked when the register changes, the two-year rule does not count: the physician applied in time."""
    register = Register(RegistrationStatus.FILED, MAIN, filed_on=date(2000, 1, 1), filing_institution_id=MAIN)
    assert register_refusal(T.CANCEL_FILING, GOOD[T.CANCEL_FILING], register) is None


@pytest.mark.parametrize(
    ("kind", "register", "expected"),
    [
        (T.INITIAL_REGISTRATION, None, MAIN),  # the chosen institution
        (T.CHANGE_REGISTRATION, VALID, THIRD),  # the new one
        (T.MULTI_SITE_FILING, VALID, THIRD),  # that institution
        (T.CANCEL_MULTI_SITE_FILING, VALID, OTHER),  # the filing's institution
        (T.PRACTICE_FILING, VALID, MAIN),  # the current one
        (T.CANCEL_FILING, Register(RegistrationStatus.FILED, MAIN, date(2026, 1, 1), OTHER), OTHER),  # who filed it
        (T.DEREGISTRATION, VALID, MAIN),
        (T.PHOTO_UPDATE, VALID, MAIN),  # where registered
    ],
)
def test_the_reviewing_institution_of_each_type(kind, register, expected):
    assert reviewing_institution(kind, GOOD[kind], register) == expected


def test_the_parts_of_the_register_applications_lock():
    parts = {t: affects(t, GOOD[t], VALID) for t in T}
    assert parts[T.MULTI_SITE_FILING] == f"multi-site:{THIRD}"
    assert parts[T.CANCEL_MULTI_SITE_FILING] == f"multi-site:{OTHER}"
    assert parts[T.PHOTO_UPDATE] == "photo"
    main_part = {t for t, p in parts.items() if p == "registration"}
    assert main_part == {
        T.INITIAL_REGISTRATION,
        T.CHANGE_REGISTRATION,
        T.PRACTICE_FILING,
        T.CANCEL_FILING,
        T.DEREGISTRATION,
    }
