"""The rules of one application, the applicant, the read model of a physician and who may see what: pure."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from applications.domain.application import Application, CannotWithdraw, NoPhotoHere, NotADraft, yours
from applications.domain.institutions import Institution, may_see
from applications.domain.photos import PhotoRefused, Picture, accepted_photo
from applications.domain.preconditions import CannotFile, applicant
from applications.domain.register import Applicant, Physician, Register
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import (
    AccountStatus,
    ApplicationStatus,
    ApplicationType,
    PracticeCategory,
    RegistrationStatus,
    Role,
)
from regsys_runtime.auth import Principal
from regsys_runtime.errors import InvalidField, NotFound, said

NOW = datetime(2026, 6, 15, 8, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)
OWNER, INSTITUTION = uuid.uuid4(), uuid.uuid4()
DRAFT = Application(
    id=uuid.uuid4(),
    account_id=OWNER,
    kind=ApplicationType.PHOTO_UPDATE,
    status=ApplicationStatus.DRAFT,
    institution_id=INSTITUTION,
    category=PracticeCategory.CLINICAL,
    details=ApplicationDetails(),
    updated_at=NOW,
)
PHYSICIAN = Physician(OWNER, "张三", "110105********1234", AccountStatus.ACTIVE, PracticeCategory.DENTAL)


def test_submitting_is_two_steps_ending_with_the_institution():
    submitted, sent = DRAFT.submission()
    assert (submitted.before, submitted.after, sent.after) == (
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.INSTITUTION_REVIEW,
    )
    with pytest.raises(NotADraft, match="already institution_review"):
        replace(DRAFT, status=ApplicationStatus.INSTITUTION_REVIEW).submission()


def test_a_decided_application_cannot_be_withdrawn():
    assert DRAFT.withdrawal().after is ApplicationStatus.WITHDRAWN
    with pytest.raises(CannotWithdraw) as refused:
        replace(DRAFT, status=ApplicationStatus.APPROVED).withdrawal()
    assert refused.value.code == "cannot-withdraw"
    assert refused.value.detail == "This application is approved; it can no longer be withdrawn."
    assert said(refused.value.detail, "zh") == "该申请已批准，不能再撤回。"


def test_a_submitted_application_asks_the_institution_to_withdraw_until_it_decides():
    reviewed = replace(DRAFT, kind=ApplicationType.DEREGISTRATION, status=ApplicationStatus.INSTITUTION_REVIEW)
    asked = reviewed.withdrawal()
    assert (asked.trigger, asked.after) == ("request_withdrawal", ApplicationStatus.INSTITUTION_REVIEW)
    pending = reviewed.withdrawal_requested(reason="改变计划", at=NOW)
    assert (pending.withdrawal_pending, pending.withdrawal_reason, pending.status) == (
        True,
        "改变计划",
        ApplicationStatus.INSTITUTION_REVIEW,
    )
    # the institution's answer, whichever it is, ends the request
    assert not pending.moved_to(ApplicationStatus.AUTHORITY_REVIEW, at=NOW).withdrawal_pending
    with pytest.raises(CannotWithdraw) as refused:
        replace(reviewed, status=ApplicationStatus.AUTHORITY_REVIEW).withdrawal()
    assert said(refused.value.detail, "zh") == "医疗机构已审核通过，申请已报卫生健康行政部门审批，不能再撤回。"


def test_only_a_draft_of_a_type_that_takes_one_gets_a_photo():
    with_photo = DRAFT.with_photo("ab" * 32, at=NOW)
    assert with_photo.details.photo_sha256 == "ab" * 32
    assert DRAFT.details.photo_sha256 is None  # frozen: a new value, the old one unchanged
    with pytest.raises(NoPhotoHere, match="A deregistration application takes no photo"):
        replace(DRAFT, kind=ApplicationType.DEREGISTRATION).with_photo("ab" * 32, at=NOW)
    with pytest.raises(NotADraft, match="The application is submitted"):
        replace(DRAFT, status=ApplicationStatus.SUBMITTED).with_photo("ab" * 32, at=NOW)


def test_another_physicians_application_is_not_found():
    assert yours(DRAFT, OWNER) is DRAFT
    for found, account in ((DRAFT, uuid.uuid4()), (None, OWNER)):
        with pytest.raises(NotFound, match="No such application of yours"):
            yours(found, account)


def test_the_applicant_is_the_verified_physician_in_their_category():
    register = Register(RegistrationStatus.VALID, INSTITUTION)
    details = ApplicationDetails()
    person = applicant(ApplicationType.PHOTO_UPDATE, details, physician=PHYSICIAN, register=register, today=TODAY)
    assert person == Applicant("张三", "110105********1234", PracticeCategory.DENTAL)
    with pytest.raises(CannotFile) as unknown:
        applicant(ApplicationType.PHOTO_UPDATE, details, physician=None, register=register, today=TODAY)
    assert unknown.value.code == "account-unverified"
    with pytest.raises(CannotFile) as unregistered:
        applicant(ApplicationType.PHOTO_UPDATE, details, physician=PHYSICIAN, register=None, today=TODAY)
    assert unregistered.value.code == "not-registered"


def test_a_refusal_about_one_field_names_it():
    with pytest.raises(InvalidField) as refused:
        applicant(
            ApplicationType.CHANGE_REGISTRATION,
            ApplicationDetails(target_institution_id=INSTITUTION),
            physician=PHYSICIAN,
            register=Register(RegistrationStatus.VALID, INSTITUTION),
            today=TODAY,
        )
    assert list(refused.value.fields) == ["institution_id"]


@pytest.mark.parametrize(
    ("status", "matched", "category", "expected"),
    [
        (AccountStatus.REGISTERED, True, PracticeCategory.TCM, (AccountStatus.VERIFIED, PracticeCategory.TCM)),
        (AccountStatus.REGISTERED, False, None, (AccountStatus.UNVERIFIED, PracticeCategory.DENTAL)),
        (AccountStatus.ACTIVE, False, None, (AccountStatus.ACTIVE, PracticeCategory.DENTAL)),  # never taken back
        (AccountStatus.SECURED, True, PracticeCategory.TCM, (AccountStatus.SECURED, PracticeCategory.TCM)),
    ],
)
def test_a_qualification_check_moves_the_account_only_forward(status, matched, category, expected):
    checked = replace(PHYSICIAN, account_status=status).qualification_checked(matched=matched, category=category)
    assert (checked.account_status, checked.category) == expected


def test_who_may_see_an_application():
    submitted = replace(DRAFT, status=ApplicationStatus.INSTITUTION_REVIEW)
    reviewer = Institution(INSTITUTION, "甲医院", "110105")
    staff = Principal(uuid.uuid4(), Role.INSTITUTION_STAFF, institution_id=INSTITUTION)
    officer = Principal(uuid.uuid4(), Role.OFFICER, region_code="110105")

    def sees(viewer: Principal, application: Application, at: Institution | None, reached: bool = False) -> bool:
        return may_see(viewer, application, at, reached_authority=reached)

    assert sees(Principal(OWNER, Role.PHYSICIAN), DRAFT, reviewer)
    assert not sees(Principal(uuid.uuid4(), Role.PHYSICIAN), submitted, reviewer)
    assert not sees(staff, DRAFT, reviewer)  # reviewers never see a draft
    assert sees(staff, submitted, reviewer)
    assert not sees(Principal(uuid.uuid4(), Role.INSTITUTION_STAFF, institution_id=uuid.uuid4()), submitted, None)
    assert not sees(officer, submitted, reviewer)  # still with the institution (or rejected by it)
    assert sees(officer, replace(DRAFT, status=ApplicationStatus.AUTHORITY_REVIEW), reviewer, reached=True)
    assert sees(officer, replace(DRAFT, status=ApplicationStatus.REJECTED), reviewer, reached=True)
    assert not sees(Principal(uuid.uuid4(), Role.OFFICER, region_code="440305"), submitted, reviewer, reached=True)
    for above in ("110000", "110100"):  # the province and the prefecture decide for the district too
        assert sees(Principal(uuid.uuid4(), Role.OFFICER, region_code=above), submitted, reviewer, reached=True)
    assert not sees(Principal(uuid.uuid4(), Role.OFFICER, region_code="110108"), submitted, reviewer, reached=True)
    assert not sees(Principal(uuid.uuid4(), Role.ADMIN), submitted, reviewer, reached=True)


def test_an_accepted_photo_is_stored_with_its_digest_and_media_type():
    photo = accepted_photo(b"\xff\xd8 not decoded here", Picture("JPEG", 413, 579), at=NOW)
    assert (photo.media_type, len(photo.sha256), photo.width, photo.uploaded_at) == ("image/jpeg", 64, 413, NOW)
    with pytest.raises(PhotoRefused) as refused:
        accepted_photo(b"GIF89a", Picture("GIF", 413, 579), at=NOW)
    assert refused.value.fields == {"photo": refused.value.detail}
