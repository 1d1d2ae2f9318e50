import itertools
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.enums import LicenceStatus, PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord
from licensing.domain.licence import (
    CannotClaim,
    RegisterState,
    Step,
    Verdict,
    claim_refusal,
    claimable,
    follow,
    judge,
    licence_number,
)
from regsys_runtime.errors import Conflict

MAIN, OTHER = uuid.uuid4(), uuid.uuid4()


def MultiSite(institution_id, starts_on, ends_on) -> MultiSiteRecord:  # the record, as built before
    return MultiSiteRecord(filing_id=uuid.uuid4(), institution_id=institution_id, starts_on=starts_on, ends_on=ends_on)


VALID = RegisterState(
    certificate_number="110105202600001",
    status=RegistrationStatus.VALID,
    category=PracticeCategory.CLINICAL,
    practice_scope="内科专业",
    main_institution_id=MAIN,
)
SITE = MultiSite(OTHER, date(2026, 1, 1), date(2027, 1, 1))

CHANGES = {
    "main institution": replace(VALID, main_institution_id=OTHER),
    "multi-site filed": replace(VALID, multi_sites=(SITE,)),
    "scope": replace(VALID, practice_scope="外科专业"),
    "category": replace(VALID, category=PracticeCategory.TCM),
    "photo": replace(VALID, photo_sha256="ab" * 32),
}


def test_only_a_valid_registration_may_claim_and_every_refusal_says_what_to_do():
    assert claim_refusal(VALID) is None
    refusals = {
        "not-registered": claim_refusal(None),
        "registration-filed": claim_refusal(replace(VALID, status=RegistrationStatus.FILED)),
        "registration-deregistered": claim_refusal(replace(VALID, status=RegistrationStatus.DEREGISTERED)),
    }
    for code, refusal in refusals.items():
        assert refusal is not None
        assert refusal.code == code
        assert len(refusal.detail) > 40


def test_filing_suspends_cancelling_restores_deregistration_revokes():
    filed = replace(VALID, status=RegistrationStatus.FILED)
    gone = replace(VALID, status=RegistrationStatus.DEREGISTERED)
    assert follow(LicenceStatus.VALID, VALID, filed) is Step.SUSPEND
    assert follow(LicenceStatus.SUSPENDED, VALID, filed) is Step.NOTHING
    assert follow(LicenceStatus.SUSPENDED, VALID, VALID) is Step.REINSTATE
    assert follow(LicenceStatus.VALID, VALID, gone) is Step.REVOKE
    assert follow(LicenceStatus.SUSPENDED, VALID, gone) is Step.REVOKE
    assert follow(LicenceStatus.VALID, VALID, VALID) is Step.NOTHING


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_of_what_the_licence_shows_reissues_it(change):
    assert follow(LicenceStatus.VALID, VALID, CHANGES[change]) is Step.REISSUE
    # changed while filed: suspended now, re-issued when valid again
    assert follow(LicenceStatus.VALID, VALID, replace(CHANGES[change], status=RegistrationStatus.FILED)) is Step.SUSPEND
    assert follow(LicenceStatus.SUSPENDED, VALID, CHANGES[change]) is Step.REISSUE


def test_the_order_of_multi_sites_is_not_a_change():
    third = MultiSite(uuid.uuid4(), date(2026, 3, 1), date(2026, 9, 1))
    issued_from = replace(VALID, multi_sites=(SITE, third))
    assert follow(LicenceStatus.VALID, issued_from, replace(VALID, multi_sites=(third, SITE))) is Step.NOTHING


@pytest.mark.parametrize(
    ("status", "register_status"),
    list(itertools.product([None, LicenceStatus.REVOKED, LicenceStatus.SUPERSEDED], RegistrationStatus)),
)
def test_nothing_happens_to_a_licence_that_is_not_current(status, register_status):
    assert follow(status, VALID if status else None, replace(VALID, status=register_status)) is Step.NOTHING


NOW = datetime(2026, 11, 22, tzinfo=UTC)
LATER = NOW + timedelta(days=30)


@pytest.mark.parametrize(
    ("status", "reason", "expires_at", "verdict", "code"),
    [
        (LicenceStatus.VALID, "issued", LATER, Verdict.VALID, "active"),
        (LicenceStatus.VALID, "issued", NOW, Verdict.EXPIRED, "licence-expired"),
        (LicenceStatus.SUSPENDED, "practice-filed", LATER, Verdict.SUSPENDED, "practice-filed"),
        (LicenceStatus.REVOKED, "deregistered", LATER, Verdict.REVOKED, "deregistered"),
        (LicenceStatus.SUPERSEDED, "register-changed", LATER, Verdict.REVOKED, "superseded"),
        # the register's word comes before the clock's
        (LicenceStatus.REVOKED, "deregistered", NOW - timedelta(days=1), Verdict.REVOKED, "deregistered"),
        (LicenceStatus.SUSPENDED, "practice-filed", NOW - timedelta(days=1), Verdict.SUSPENDED, "practice-filed"),
    ],
)
def test_every_verdict_carries_a_reason(status, reason, expires_at, verdict, code):
    judgement = judge(status=status, status_reason=reason, expires_at=expires_at, now=NOW)
    assert (judgement.verdict, judgement.reason) == (verdict, code)
    assert judgement.detail


def test_licence_numbers_carry_the_certificate_and_the_edition():
    assert licence_number("110105202600001", 1) == "DZ11010520260000101"
    assert licence_number("110105202600001", 12) == "DZ11010520260000112"


def test_who_may_not_claim_gets_a_conflict_saying_what_to_do():
    assert claimable(VALID) == VALID
    for register, code in (
        (None, "not-registered"),
        (replace(VALID, status=RegistrationStatus.FILED), "registration-filed"),
        (replace(VALID, status=RegistrationStatus.DEREGISTERED), "registration-deregistered"),
    ):
        with pytest.raises(CannotClaim) as refused:
            claimable(register)
        assert isinstance(refused.value, Conflict)
        assert refused.value.code == code
        assert refused.value.extra == {"title": "The licence cannot be claimed now"}
