"""Against the real database: the two-year boundary of cancelling a filing with an injected day, and a
decision that crosses a withdrawal on the wire."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from applications.adapters.tables import applications, history, messaging, physicians, registrations
from applications.domain.machine import Trigger
from applications.service import drafts, lifecycle
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import AccountStatus, ApplicationStatus, ApplicationType, RegistrationStatus, Role
from regsys_runtime.auth import Principal
from regsys_runtime.errors import DomainError
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


async def test_an_authority_approval_that_crossed_a_withdrawal_stands(uow_factory):
    physician = await a_filed_physician(uow_factory, date(2026, 1, 1))
    application_id, now = uuid.uuid4(), datetime.now(UTC)
    async with uow_factory() as uow:
        await uow.session.execute(
            insert(applications).values(
                id=application_id,
                account_id=physician.account_id,
                application_type=ApplicationType.CANCEL_FILING,
                status=ApplicationStatus.AUTHORITY_REVIEW,
                institution_id=uuid.uuid4(),
                category="clinical",
                details={"reason": "返聘"},
                submitted_at=now,
                updated_at=now,
                affects="registration",
            )
        )
        await uow.commit()
    await lifecycle.withdraw(
        uow=uow_factory(), physician=physician, application_id=application_id, reason=None, now=datetime.now(UTC)
    )
    async with uow_factory() as uow:
        withdrawn = (
            (
                await uow.session.execute(
                    select(messaging.outbox.c.event_type).where(messaging.outbox.c.key == str(physician.account_id))
                )
            )
            .scalars()
            .all()
        )
        assert "applications.application_withdrawn" in withdrawn
        # the officer had approved before the withdrawal reached licensing: the register changed, so it stands
        move = await lifecycle.advance(
            uow=uow,
            application_id=application_id,
            trigger=Trigger.AUTHORITY_APPROVE,
            actor="authority",
            actor_id=uuid.uuid4(),
            reason=None,
            at=datetime.now(UTC),
        )
        await uow.commit()
    assert move is not None
    assert move.late
    async with uow_factory() as uow:
        status = await uow.session.scalar(select(applications.c.status).where(applications.c.id == application_id))
        steps = (
            await uow.session.execute(
                select(history.c.outcome, history.c.late)
                .where(history.c.application_id == application_id)
                .order_by(history.c.seq)
            )
        ).all()
    assert status == ApplicationStatus.APPROVED
    assert [tuple(s) for s in steps] == [("withdraw", False), ("authority_approve", True)]
