"""What each approved type does to the register, what it refuses once the register moved on, and expiry."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from contracts.enums import ApplicationType as T
from contracts.enums import PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord
from licensing.domain.materials import CHECKLISTS, ReceivedMaterial, checklist, checks, require_known, unknown_codes
from licensing.domain.register import Change, MultiSitesExpire, RegisterRuleBroken, Registration, apply
from regsys_runtime.errors import InvalidFields

TODAY = date(2026, 6, 15)


def MultiSite(filing_id, institution_id, starts_on, ends_on) -> MultiSiteRecord:  # the record, as built before
    return MultiSiteRecord(filing_id=filing_id, institution_id=institution_id, starts_on=starts_on, ends_on=ends_on)


MAIN, OTHER, THIRD = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
FILING = uuid.uuid4()
SITE = MultiSite(FILING, OTHER, date(2026, 1, 1), date(2026, 12, 31))
VALID = Registration(
    "110105202600001", RegistrationStatus.VALID, PracticeCategory.TCM_SPECIALTY, "中医", MAIN, multi_sites=(SITE,)
)
FILED = replace(VALID, status=RegistrationStatus.FILED, filed_on=date(2026, 1, 5), filing_institution_id=MAIN)
GONE = replace(VALID, status=RegistrationStatus.DEREGISTERED, multi_sites=())


def change(kind: T, **values) -> Change:
    return Change(
        kind=kind, institution_id=values.pop("institution_id", MAIN), category=PracticeCategory.TCM_SPECIALTY, **values
    )


APPROVALS = [
    # (registration before, change, what to check afterwards)
    (
        None,
        change(T.INITIAL_REGISTRATION, practice_scope="中医", certificate_number="110105202600009", photo_sha256="p1"),
        lambda r: (
            (r.status, r.main_institution_id, r.certificate_number, r.photo_sha256)
            == (RegistrationStatus.VALID, MAIN, "110105202600009", "p1")
        ),
    ),
    (
        GONE,
        change(T.INITIAL_REGISTRATION, institution_id=THIRD, certificate_number="110105202600010"),
        lambda r: (r.status, r.main_institution_id) == (RegistrationStatus.VALID, THIRD),
    ),
    (
        VALID,
        change(T.CHANGE_REGISTRATION, target_institution_id=THIRD),
        lambda r: (
            r.main_institution_id == THIRD
            and r.certificate_number == VALID.certificate_number
            and r.multi_sites == (SITE,)
        ),
    ),
    (
        VALID,
        change(T.CHANGE_REGISTRATION, target_institution_id=OTHER),  # the multi-site institution becomes the main one
        lambda r: r.main_institution_id == OTHER and r.multi_sites == (),
    ),
    (
        VALID,
        change(
            T.MULTI_SITE_FILING,
            target_institution_id=THIRD,
            starts_on=TODAY,
            ends_on=date(2027, 1, 1),
            filing_id=FILING,
        ),
        lambda r: [m.institution_id for m in r.multi_sites] == [OTHER, THIRD],
    ),
    (VALID, change(T.CANCEL_MULTI_SITE_FILING, filing_id=FILING), lambda r: r.multi_sites == ()),
    (
        VALID,
        change(T.PRACTICE_FILING),
        lambda r: (r.status, r.filed_on, r.filing_institution_id) == (RegistrationStatus.FILED, TODAY, MAIN),
    ),
    (FILED, change(T.CANCEL_FILING), lambda r: (r.status, r.filed_on) == (RegistrationStatus.VALID, None)),
    (VALID, change(T.DEREGISTRATION), lambda r: r.status is RegistrationStatus.DEREGISTERED and r.multi_sites == ()),
    (FILED, change(T.DEREGISTRATION), lambda r: r.status is RegistrationStatus.DEREGISTERED),
    (
        VALID,
        change(T.PHOTO_UPDATE, photo_sha256="p2"),
        lambda r: r.photo_sha256 == "p2" and r.status is RegistrationStatus.VALID,
    ),
]

REFUSALS = [
    (VALID, change(T.INITIAL_REGISTRATION, certificate_number="x"), "already-registered"),
    (FILED, change(T.INITIAL_REGISTRATION, certificate_number="x"), "already-registered"),
    (FILED, change(T.CHANGE_REGISTRATION, target_institution_id=THIRD), "no-valid-registration"),
    (None, change(T.CHANGE_REGISTRATION, target_institution_id=THIRD), "no-valid-registration"),
    (VALID, change(T.CHANGE_REGISTRATION, target_institution_id=MAIN), "same-institution"),
    (
        GONE,
        change(
            T.MULTI_SITE_FILING,
            target_institution_id=THIRD,
            starts_on=TODAY,
            ends_on=date(2027, 1, 1),
            filing_id=FILING,
        ),
        "no-valid-registration",
    ),
    (
        VALID,
        change(
            T.MULTI_SITE_FILING, target_institution_id=MAIN, starts_on=TODAY, ends_on=date(2027, 1, 1), filing_id=FILING
        ),
        "main-institution",
    ),
    (
        VALID,
        change(
            T.MULTI_SITE_FILING,
            target_institution_id=OTHER,
            starts_on=TODAY,
            ends_on=date(2027, 1, 1),
            filing_id=FILING,
        ),
        "already-filed-there",
    ),
    (
        VALID,
        change(T.MULTI_SITE_FILING, target_institution_id=THIRD, starts_on=TODAY, ends_on=TODAY, filing_id=FILING),
        "invalid-period",
    ),
    (
        VALID,
        change(
            T.MULTI_SITE_FILING,
            target_institution_id=THIRD,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 6, 14),
            filing_id=FILING,
        ),
        "period-over",
    ),
    (VALID, change(T.CANCEL_MULTI_SITE_FILING, filing_id=uuid.uuid4()), "no-such-filing"),
    (GONE, change(T.CANCEL_MULTI_SITE_FILING, filing_id=FILING), "no-such-filing"),
    (FILED, change(T.PRACTICE_FILING), "no-valid-registration"),
    (VALID, change(T.CANCEL_FILING), "not-filed"),
    (GONE, change(T.DEREGISTRATION), "not-registered"),
    (None, change(T.PHOTO_UPDATE, photo_sha256="p"), "not-registered"),
]


@pytest.mark.parametrize(("before", "approved", "check"), APPROVALS)
def test_what_each_approval_does(before, approved, check):
    assert check(apply(before, approved, TODAY))


@pytest.mark.parametrize(("before", "approved", "code"), REFUSALS)
def test_an_approval_the_register_no_longer_allows(before, approved, code):
    with pytest.raises(RegisterRuleBroken) as broken:
        apply(before, approved, TODAY)
    assert broken.value.code == code
    assert broken.value.detail


def test_every_type_has_a_rule_tested():
    assert {c.kind for _, c, _ in APPROVALS} == set(T)
    assert {c.kind for _, c, _ in REFUSALS} == set(T)


def test_multi_site_filings_end_after_their_last_day():
    two = replace(VALID, multi_sites=(SITE, MultiSite(uuid.uuid4(), THIRD, date(2026, 1, 1), date(2027, 6, 30))))
    assert apply(two, MultiSitesExpire(), date(2027, 1, 1)).multi_sites == two.multi_sites[1:]
    with pytest.raises(RegisterRuleBroken):
        apply(two, MultiSitesExpire(), date(2026, 12, 31))  # the last day is still valid
    assert apply(two, MultiSitesExpire(), date(2027, 7, 1)).multi_sites == ()


def test_the_materials_checklist():
    assert [m.code for m in checklist(T.INITIAL_REGISTRATION)] == [
        "approval_form",
        "id_card",
        "photos",
        "employment_contract",
        "institution_licence",
    ]
    assert checklist(T.PHOTO_UPDATE) == ()  # no authority step
    assert set(CHECKLISTS) == set(T)
    assert unknown_codes(T.DEREGISTRATION, {"id_card", "photos"}) == {"photos"}


def test_the_checklist_refuses_codes_it_does_not_have_and_says_which_it_has():
    require_known(T.PRACTICE_FILING, {"id_card"})
    with pytest.raises(InvalidFields) as refused:
        require_known(T.PRACTICE_FILING, {"id_card", "photos", "a_cake"})
    assert refused.value.fields == {"received": "Not on the checklist: a_cake, photos. Known: approval_form, id_card."}
    assert refused.value.detail == "Please correct the marked fields."


def test_the_checklist_shows_what_was_received_in_its_order():
    at = datetime(2026, 6, 15, tzinfo=UTC)
    shown = checks(T.PRACTICE_FILING, [ReceivedMaterial("id_card", at)])
    assert [(c.material.code, c.received, c.received_at) for c in shown] == [
        ("approval_form", False, None),
        ("id_card", True, at),
    ]
