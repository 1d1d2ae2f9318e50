"""Against the real database: the two-year boundary of cancelling a filing with an injected day, a withdrawal that
the reviewing institution settles against its decision, and an authority decision that overtook the institution's."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from applications.adapters.applications import application_by_id
from applications.adapters.tables import applications, history, messaging, physicians, registrations
from applications.domain.application import Application
from applications.domain.machine import Trigger
from applications.service import drafts, lifecycle
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import AccountStatus, ApplicationStatus, ApplicationType, RegistrationStatus, Role
from contracts.institutions.v1 import ReviewWithdrawn
from regsys_runtime.auth import Principal
from regsys_runtime.errors import DomainError, NotYet
from regsys_runtime.problems import Problem, problem_of

pytestmark = pytest.mark.integration


@contextmanager
def as_problem() -> Iterator[None]:
    """A refusal as the client sees it (the app's problem handler maps it the same way)."""
    try:
        yield
    except DomainError as refusal:
        raise problem_of(refusal) from refusal


async def a_filed_physician(uow_factory, filed_on: date) -> Principal:
    account_id, institution_id = uuid.uuid4(), uuid.uuid4()
    async with uow_factory() as uow:
        await uow.session.execute(
            insert(physicians).values(
                account_id=account_id,
                real_name="张三",
                id_number_masked="110105********1234",
                category="clinical",
                account_status=AccountStatus.ACTIVE,
            )
        )
        await uow.session.execute(
            insert(registrations).values(
                account_id=account_id,
                status=RegistrationStatus.FILED,
                certificate_number=f"T{account_id.hex[:14]}",
                main_institution_id=institution_id,
                filed_on=filed_on,
                filing_institution_id=institution_id,
            )
        )
        await uow.commit()
    return Principal(account_id=account_id, role=Role.PHYSICIAN)


@pytest.mark.parametrize(
    ("filed_on", "last_day", "a_day_more"),
    [
        (date(2024, 2, 29), date(2026, 2, 28), date(2026, 3, 1)),
        (date(2022, 2, 28), date(2024, 2, 28), date(2024, 2, 29)),
    ],
)
async def test_cancel_filing_up_to_two_years_to_the_day(uow_factory, filed_on, last_day, a_day_more):
    physician = await a_filed_physician(uow_factory, filed_on)
    details = ApplicationDetails(reason="返聘继续执业")
    with pytest.raises(Problem) as refused, as_problem():
        await drafts.create_draft(
            uow=uow_factory(),
            physician=physician,
            kind=ApplicationType.CANCEL_FILING,
            details=details,
            today=a_day_more,
            now=datetime.now(UTC),
        )
    assert (refused.value.status, refused.value.code) == (409, "filing-too-old")
    row = await drafts.create_draft(
        uow=uow_factory(),
        physician=physician,
        kind=ApplicationType.CANCEL_FILING,
        details=details,
        today=last_day,
        now=datetime.now(UTC),
    )
    assert row.status == ApplicationStatus.DRAFT


async def an_application(uow_factory, physician: Principal, status: ApplicationStatus) -> uuid.UUID:
    application_id, now = uuid.uuid4(), datetime.now(UTC)
    async with uow_factory() as uow:
        await uow.session.execute(
            insert(applications).values(
                id=application_id,
                account_id=physician.account_id,
                application_type=ApplicationType.CANCEL_FILING,
                status=status,
                institution_id=uuid.uuid4(),
                category="clinical",
                details={"reason": "返聘"},
                submitted_at=now,
                updated_at=now,
                affects="registration",
            )
        )
        await uow.commit()
    return application_id


async def news_of(uow_factory, physician: Principal) -> list[tuple[str, dict]]:
    """What applications published about the physician, oldest first: (event type, payload)."""
    outbox = messaging.outbox
    query = select(outbox.c.event_type, outbox.c.envelope).where(outbox.c.key == str(physician.account_id))
    async with uow_factory() as uow:
        rows = (await uow.session.execute(query.order_by(outbox.c.id))).all()
    return [(row.event_type, row.envelope["payload"]) for row in rows]


async def steps_of(uow_factory, application_id) -> list[tuple[str, str, str | None]]:
    query = select(history.c.outcome, history.c.status, history.c.reason).where(
        history.c.application_id == application_id
    )
    async with uow_factory() as uow:
        return [tuple(row) for row in (await uow.session.execute(query.order_by(history.c.seq))).all()]


async def test_once_the_institution_decided_a_withdrawal_is_refused_with_the_reason(uow_factory):
    physician = await a_filed_physician(uow_factory, date(2026, 1, 1))
    application_id = await an_application(uow_factory, physician, ApplicationStatus.AUTHORITY_REVIEW)
    with pytest.raises(Problem) as refused, as_problem():
        await lifecycle.withdraw(
            uow=uow_factory(), physician=physician, application_id=application_id, reason=None, now=datetime.now(UTC)
        )
    body = refused.value.body()
    assert (body["status"], body["type"]) == (409, "https://regsys.example/problems/cannot-withdraw")
    assert "can no longer be withdrawn" in refused.value.detail  # the English of the message
    assert body["detail"] == "医疗机构已审核通过，申请已报卫生健康行政部门审批，不能再撤回。"  # shown in Chinese
    assert await news_of(uow_factory, physician) == []
    assert await steps_of(uow_factory, application_id) == []


async def test_a_withdrawal_waits_for_the_institution_and_only_its_answer_is_told(uow_factory):
    physician = await a_filed_physician(uow_factory, date(2026, 1, 1))
    application_id = await an_application(uow_factory, physician, ApplicationStatus.INSTITUTION_REVIEW)
    asked_at = datetime.now(UTC)
    asked = await lifecycle.withdraw(
        uow=uow_factory(), physician=physician, application_id=application_id, reason="改变计划", now=asked_at
    )
    assert (asked.status, asked.withdrawal_requested_at) == (ApplicationStatus.INSTITUTION_REVIEW, asked_at)
    # asking again while the institution settles it changes nothing: the first request stands
    again = await lifecycle.withdraw(
        uow=uow_factory(), physician=physician, application_id=application_id, reason="又改", now=datetime.now(UTC)
    )
    assert (again.status, again.withdrawal_requested_at) == (ApplicationStatus.INSTITUTION_REVIEW, asked_at)
    news = await news_of(uow_factory, physician)
    assert [event_type for event_type, _ in news] == ["applications.withdrawal_requested"]  # nobody told yet
    assert news[0][1]["application_id"] == str(application_id)

    # the institution settled it before any decision: withdrawn, and only now told
    async with uow_factory() as uow:
        await lifecycle.withdrawal_settled(uow=uow, event=review_withdrawn(asked, at=asked_at))
        await uow.commit()
    news = await news_of(uow_factory, physician)
    assert [event_type for event_type, _ in news] == [
        "applications.withdrawal_requested",
        "applications.application_status_changed",
        "applications.application_withdrawn",
    ]
    assert news[1][1]["status"] == "withdrawn"
    async with uow_factory() as uow:
        row = (await uow.session.execute(select(applications).where(applications.c.id == application_id))).one()
    assert (row.status, row.withdrawal_requested_at) == (ApplicationStatus.WITHDRAWN, None)
    assert await steps_of(uow_factory, application_id) == [
        ("request_withdrawal", ApplicationStatus.INSTITUTION_REVIEW, "改变计划"),
        ("withdraw", ApplicationStatus.WITHDRAWN, "改变计划"),
    ]


async def test_a_decision_that_came_first_ends_the_pending_withdrawal(uow_factory):
    physician = await a_filed_physician(uow_factory, date(2026, 1, 1))
    application_id = await an_application(uow_factory, physician, ApplicationStatus.INSTITUTION_REVIEW)
    await lifecycle.withdraw(
        uow=uow_factory(), physician=physician, application_id=application_id, reason=None, now=datetime.now(UTC)
    )
    # the institution approved before the request reached it: its decision stands, the withdrawal lost
    async with uow_factory() as uow:
        move = await lifecycle.advance(
            uow=uow,
            application_id=application_id,
            trigger=Trigger.INSTITUTION_APPROVE,
            actor="institution",
            actor_id=uuid.uuid4(),
            reason=None,
            at=datetime.now(UTC),
        )
        await uow.commit()
    assert move is not None and move.after is ApplicationStatus.AUTHORITY_REVIEW
    async with uow_factory() as uow:
        row = (await uow.session.execute(select(applications).where(applications.c.id == application_id))).one()
    assert (row.status, row.withdrawal_requested_at) == (ApplicationStatus.AUTHORITY_REVIEW, None)
    news = await news_of(uow_factory, physician)
    assert [(t, p.get("status")) for t, p in news] == [
        ("applications.withdrawal_requested", None),
        ("applications.application_status_changed", "authority_review"),
    ]
    with pytest.raises(Problem) as refused, as_problem():
        await lifecycle.withdraw(
            uow=uow_factory(), physician=physician, application_id=application_id, reason=None, now=datetime.now(UTC)
        )
    assert refused.value.status == 409


async def test_a_settled_withdrawal_finds_a_closed_application_closed(uow_factory):
    physician = await a_filed_physician(uow_factory, date(2026, 1, 1))
    application_id = await an_application(uow_factory, physician, ApplicationStatus.CLOSED)
    async with uow_factory() as uow:
        found = await application_by_id(uow.session, application_id=application_id)
    assert found is not None
    async with uow_factory() as uow:
        await lifecycle.withdrawal_settled(uow=uow, event=review_withdrawn(found, at=datetime.now(UTC)))
        await uow.commit()
    async with uow_factory() as uow:
        status = await uow.session.scalar(select(applications.c.status).where(applications.c.id == application_id))
    assert status == ApplicationStatus.CLOSED
    assert await news_of(uow_factory, physician) == []


async def decided(uow_factory, application_id: uuid.UUID, trigger: Trigger, actor: str) -> None:
    async with uow_factory() as uow:
        await lifecycle.advance(
            uow=uow, application_id=application_id, trigger=trigger, actor=actor, actor_id=uuid.uuid4(),
            reason=None, at=datetime.now(UTC),
        )  # fmt: skip
        await uow.commit()


async def test_an_authority_decision_that_overtook_the_institution_waits_for_it(uow_factory):
    physician = await a_filed_physician(uow_factory, date(2026, 1, 1))
    application_id = await an_application(uow_factory, physician, ApplicationStatus.INSTITUTION_REVIEW)
    # NotYet: the consumer parks the decision (nothing of it is kept here) and retries it when the approval comes
    with pytest.raises(NotYet, match="still institution_review"):
        await decided(uow_factory, application_id, Trigger.AUTHORITY_APPROVE, "authority")
    assert await news_of(uow_factory, physician) == []
    assert await steps_of(uow_factory, application_id) == []

    await decided(uow_factory, application_id, Trigger.INSTITUTION_APPROVE, "institution")
    await decided(uow_factory, application_id, Trigger.AUTHORITY_APPROVE, "authority")
    news = await news_of(uow_factory, physician)
    assert [p["status"] for _, p in news] == ["authority_review", "approved"]  # the physician hears both steps
    assert [(outcome, status) for outcome, status, _ in await steps_of(uow_factory, application_id)] == [
        ("institution_approve", ApplicationStatus.AUTHORITY_REVIEW),
        ("authority_approve", ApplicationStatus.APPROVED),
    ]


def review_withdrawn(application: Application, *, at: datetime) -> ReviewWithdrawn:
    return ReviewWithdrawn(
        application_id=application.id,
        account_id=application.account_id,
        application_type=application.kind,
        institution_id=application.institution_id,
        withdrawn_at=at,
    )
