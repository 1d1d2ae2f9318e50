"""Against the real database: one click on submit is one status change on the wire, and one open per part."""

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from applications.adapters.tables import messaging, physicians, registrations
from applications.domain.preconditions import OpenElsewhere
from applications.service import drafts, queries, submission
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import AccountStatus, ApplicationStatus, ApplicationType, RegistrationStatus, Role
from regsys_runtime.auth import Principal

pytestmark = pytest.mark.integration
TODAY, NOW = date(2026, 6, 15), datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


async def a_registered_physician(uow_factory) -> Principal:
    account_id = uuid.uuid4()
    async with uow_factory() as uow:
        await uow.session.execute(
            insert(physicians).values(
                account_id=account_id,
                real_name="李四",
                id_number_masked="440305********5678",
                category="dental",
                account_status=AccountStatus.ACTIVE,
            )
        )
        await uow.session.execute(
            insert(registrations).values(
                account_id=account_id,
                status=RegistrationStatus.VALID,
                certificate_number=f"T{account_id.hex[:14]}",
                main_institution_id=uuid.uuid4(),
            )
        )
        await uow.commit()
    return Principal(account_id=account_id, role=Role.PHYSICIAN)


async def a_submitted_practice_filing(uow_factory, physician: Principal):
    draft = await drafts.create_draft(
        uow=uow_factory(),
        physician=physician,
        kind=ApplicationType.PRACTICE_FILING,
        details=ApplicationDetails(reason="retired"),
        today=TODAY,
        now=NOW,
    )
    return await submission.submit(
        uow=uow_factory(), physician=physician, application_id=draft.id, today=TODAY, now=NOW
    )


async def test_a_submission_is_two_steps_in_the_history_and_one_status_change_in_the_news(uow_factory):
    physician = await a_registered_physician(uow_factory)
    submitted = await a_submitted_practice_filing(uow_factory, physician)
    assert (submitted.status, submitted.submitted_at, submitted.affects) == (
        ApplicationStatus.INSTITUTION_REVIEW,
        NOW,
        "registration",
    )
    _, steps = await queries.application_for(uow=uow_factory(), viewer=physician, application_id=submitted.id)
    assert [(s.actor, s.outcome, s.status) for s in steps] == [
        ("physician", "create", ApplicationStatus.DRAFT),
        ("physician", "submit", ApplicationStatus.SUBMITTED),
        ("system", "send_to_institution", ApplicationStatus.INSTITUTION_REVIEW),
    ]
    outbox = messaging.outbox
    async with uow_factory() as uow:
        query = select(outbox.c.event_type, outbox.c.envelope).where(outbox.c.key == str(physician.account_id))
        events = (await uow.session.execute(query)).all()
    changes = [e.envelope["payload"]["status"] for e in events if e.event_type.endswith("status_changed")]
    assert changes == ["institution_review"]
    assert [e.event_type for e in events].count("applications.application_submitted") == 1


async def test_a_second_open_application_of_the_same_part_is_refused(uow_factory):
    physician = await a_registered_physician(uow_factory)
    await a_submitted_practice_filing(uow_factory, physician)
    with pytest.raises(OpenElsewhere) as refused:
        await a_submitted_practice_filing(uow_factory, physician)
    assert refused.value.code == "application-open"
