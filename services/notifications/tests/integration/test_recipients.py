"""Whom each event tells, on which channels: read models of accounts and rosters decide."""

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from contracts import Envelope
from contracts.applications.v1 import ApplicationDetails, ApplicationStatusChanged, ApplicationSubmitted
from contracts.enums import (
    ApplicationStatus,
    ApplicationType,
    PracticeCategory,
    RegistrationStatus,
    ReviewOutcome,
    Role,
)
from contracts.identity.v1 import (
    AccountActivated,
    AccountRegistered,
    EmailChanged,
    PasswordChanged,
    PhoneChanged,
    PhoneVerified,
)
from contracts.institutions.v1 import ReviewCompleted
from contracts.licensing.v1 import LicenceRevoked, MultiSiteRecord, RegistrationChanged
from notifications.adapters.tables import deliveries, inbox_messages, messaging

from .conftest import handlers_in

pytestmark = pytest.mark.integration

HANDLERS = handlers_in("zh")
NOW = datetime.now(UTC)


async def apply(unit_of_work, event) -> Envelope:
    envelope = Envelope.wrap(event, producer="tests", subject_id=str(uuid.uuid4()), correlation_id="t")
    async with unit_of_work() as uow:
        await HANDLERS[type(event)](uow, event, envelope)
        await uow.commit()
    return envelope


async def told(unit_of_work, envelope: Envelope) -> set[tuple[str, str]]:
    """(channel, recipient) of every message an event caused; the inbox as ("inbox", account id)."""
    async with unit_of_work() as uow:
        sent = await uow.session.execute(
            select(deliveries.c.channel, deliveries.c.recipient).where(deliveries.c.cause_event_id == envelope.event_id)
        )
        posted = await uow.session.execute(
            select(inbox_messages.c.account_id).where(inbox_messages.c.cause_event_id == envelope.event_id)
        )
        return {(r.channel, r.recipient) for r in sent} | {("inbox", str(r.account_id)) for r in posted}


async def person(unit_of_work, role=Role.PHYSICIAN, **fields) -> uuid.UUID:
    account = uuid.uuid4()
    defaults = {"login_name": f"u{account.hex[:8]}", "real_name": "张伟"}
    await apply(unit_of_work, AccountRegistered(account_id=account, role=role, **{**defaults, **fields}))
    return account


async def test_a_physician_is_welcomed_by_email_and_staff_are_not(unit_of_work):
    account = uuid.uuid4()
    welcome = await apply(
        unit_of_work,
        AccountRegistered(
            account_id=account,
            role=Role.PHYSICIAN,
            login_name="doc1",
            real_name="欧阳·明",
            phone="13900000001",
            email="doc1@example.cn",
        ),
    )
    assert await told(unit_of_work, welcome) == {("email", "doc1@example.cn"), ("inbox", str(account))}
    staff = AccountRegistered(
        account_id=uuid.uuid4(), role=Role.INSTITUTION_STAFF, login_name="s", real_name="审核员", email="s@example.cn"
    )
    assert await told(unit_of_work, await apply(unit_of_work, staff)) == set()


async def test_a_phone_change_tells_the_old_and_the_new_phone_and_later_messages_use_the_new(unit_of_work):
    account = await person(unit_of_work, phone="13900000011", email="p@example.cn")

    change = await apply(
        unit_of_work, PhoneChanged(account_id=account, old_phone="13900000011", new_phone="13900000012")
    )
    assert await told(unit_of_work, change) == {
        ("sms", "13900000011"),
        ("sms", "13900000012"),
        ("email", "p@example.cn"),
        ("inbox", str(account)),
    }

    password = await apply(unit_of_work, PasswordChanged(account_id=account))
    assert await told(unit_of_work, password) == {
        ("sms", "13900000012"),
        ("email", "p@example.cn"),
        ("inbox", str(account)),
    }


async def test_an_email_change_tells_the_old_and_the_new_address(unit_of_work):
    account = await person(unit_of_work, phone="13900000021", email="old@example.cn")

    change = await apply(
        unit_of_work, EmailChanged(account_id=account, old_email="old@example.cn", new_email="new@example.cn")
    )

    assert await told(unit_of_work, change) == {
        ("email", "old@example.cn"),
        ("email", "new@example.cn"),
        ("sms", "13900000021"),
        ("inbox", str(account)),
    }
    activated = await apply(unit_of_work, AccountActivated(account_id=account, method="automatic"))
    assert await told(unit_of_work, activated) == {
        ("sms", "13900000021"),
        ("email", "new@example.cn"),
        ("inbox", str(account)),
    }


async def test_staff_of_the_reviewing_institution_hear_of_a_new_review_task(unit_of_work):
    institution, elsewhere = uuid.uuid4(), uuid.uuid4()
    reviewer = await person(unit_of_work, Role.INSTITUTION_STAFF, institution_id=institution, email="r@example.cn")
    await person(unit_of_work, Role.INSTITUTION_STAFF, institution_id=elsewhere, email="x@example.cn")
    physician = await person(unit_of_work, phone="13900000031")

    submitted = await apply(
        unit_of_work,
        ApplicationSubmitted(
            application_id=uuid.uuid4(),
            account_id=physician,
            application_type=ApplicationType.INITIAL_REGISTRATION,
            institution_id=institution,
            category=PracticeCategory.CLINICAL,
            physician_name="张伟",
            id_number_masked="110105********1234",
            details=ApplicationDetails(practice_scope="内科专业"),
            submitted_at=NOW,
        ),
    )

    assert await told(unit_of_work, submitted) == {("inbox", str(reviewer)), ("email", "r@example.cn")}


async def test_officers_of_the_region_hear_when_an_approved_review_reaches_their_queue(unit_of_work):
    officer = await person(unit_of_work, Role.OFFICER, region_code="110105")
    await person(unit_of_work, Role.OFFICER, region_code="440305")

    def reviewed(outcome, kind=ApplicationType.INITIAL_REGISTRATION) -> ReviewCompleted:
        return ReviewCompleted(
            application_id=uuid.uuid4(),
            account_id=uuid.uuid4(),
            application_type=kind,
            institution_id=uuid.uuid4(),
            region_code="110105",
            outcome=outcome,
            reason=None if outcome is ReviewOutcome.APPROVED else "材料不全",
            reviewer_id=uuid.uuid4(),
            decided_at=NOW,
        )

    approved = await apply(unit_of_work, reviewed(ReviewOutcome.APPROVED))
    assert await told(unit_of_work, approved) == {("inbox", str(officer))}
    assert await told(unit_of_work, await apply(unit_of_work, reviewed(ReviewOutcome.REJECTED))) == set()
    photo = reviewed(ReviewOutcome.APPROVED, ApplicationType.PHOTO_UPDATE)
    assert await told(unit_of_work, await apply(unit_of_work, photo)) == set(), "a photo update has no authority step"


@pytest.mark.parametrize(
    ("status", "by_sms"), [(ApplicationStatus.AUTHORITY_REVIEW, False), (ApplicationStatus.APPROVED, True)]
)
async def test_the_physician_hears_of_every_status_and_of_outcomes_by_sms(unit_of_work, status, by_sms):
    physician = await person(unit_of_work, phone="13900000041", email="d@example.cn")
    changed = await apply(
        unit_of_work,
        ApplicationStatusChanged(
            application_id=uuid.uuid4(),
            account_id=physician,
            application_type=ApplicationType.INITIAL_REGISTRATION,
            status=status,
            changed_at=NOW,
        ),
    )
    expected = {("inbox", str(physician)), ("email", "d@example.cn")} | ({("sms", "13900000041")} if by_sms else set())
    assert await told(unit_of_work, changed) == expected


async def test_a_revoked_licence_tells_the_physician_and_every_institution_on_the_roster(unit_of_work):
    main, multi_site, unrelated = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    main_staff = await person(unit_of_work, Role.INSTITUTION_STAFF, institution_id=main)
    site_staff = await person(unit_of_work, Role.INSTITUTION_STAFF, institution_id=multi_site, email="site@example.cn")
    await person(unit_of_work, Role.INSTITUTION_STAFF, institution_id=unrelated)
    physician = await person(unit_of_work, phone="13900000051", email="lic@example.cn", real_name="李娜")
    await apply(
        unit_of_work,
        RegistrationChanged(
            account_id=physician,
            certificate_number="110105202600007",
            status=RegistrationStatus.DEREGISTERED,
            category=PracticeCategory.CLINICAL,
            main_institution_id=main,
            multi_sites=(
                MultiSiteRecord(
                    filing_id=uuid.uuid4(),
                    institution_id=multi_site,
                    starts_on=date(2026, 1, 1),
                    ends_on=date(2027, 1, 1),
                ),
            ),
            changed_at=NOW,
        ),
    )

    revoked = await apply(unit_of_work, LicenceRevoked(licence_id=uuid.uuid4(), account_id=physician, reason="注销"))

    assert await told(unit_of_work, revoked) == {
        ("inbox", str(physician)),
        ("sms", "13900000051"),
        ("email", "lic@example.cn"),
        ("inbox", str(main_staff)),
        ("inbox", str(site_staff)),
        ("email", "site@example.cn"),
    }
    async with unit_of_work() as uow:
        titles = (
            (await uow.session.execute(select(inbox_messages.c.title).where(inbox_messages.c.account_id == main_staff)))
            .scalars()
            .all()
        )
    assert titles == ["本机构医师电子证照已注销"]


async def test_an_unknown_person_still_gets_the_inbox_and_the_rest_is_recorded_as_failed(unit_of_work):
    stranger = uuid.uuid4()
    changed = await apply(
        unit_of_work,
        ApplicationStatusChanged(
            application_id=uuid.uuid4(),
            account_id=stranger,
            application_type=ApplicationType.DEREGISTRATION,
            status=ApplicationStatus.REJECTED,
            reason="材料不全",
            changed_at=NOW,
        ),
    )

    assert ("inbox", str(stranger)) in await told(unit_of_work, changed)
    async with unit_of_work() as uow:
        failed = (
            await uow.session.execute(select(deliveries).where(deliveries.c.cause_event_id == changed.event_id))
        ).all()
        outbox = (await uow.session.execute(select(messaging.outbox.c.event_type))).scalars().all()
    assert {(r.channel, r.status, r.last_error) for r in failed} == {
        ("email", "failed", "no email contact is known for the account"),
        ("sms", "failed", "no sms contact is known for the account"),
    }
    assert outbox.count("notifications.delivery_failed") == 2


async def test_a_phone_verified_after_registration_is_where_later_texts_go(unit_of_work):
    account = await person(unit_of_work)  # registered before giving a phone
    verified = await apply(unit_of_work, PhoneVerified(account_id=account, phone="13900000061"))
    assert await told(unit_of_work, verified) == {("inbox", str(account))}  # only there: the person is at the screen

    activated = await apply(unit_of_work, AccountActivated(account_id=account, method="automatic"))
    assert await told(unit_of_work, activated) == {("sms", "13900000061"), ("inbox", str(account))}
