"""The use cases against a real database: what they store, what they return, what they publish, what they refuse."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.applications.v1 import (
    ApplicationClosed,
    ApplicationDetails,
    ApplicationSubmitted,
    WithdrawalRequested,
)
from contracts.enums import ApplicationType, Channel, PracticeCategory, RegistrationStatus, ReviewOutcome, Role
from contracts.identity.v1 import ActivationRequested
from contracts.licensing.v1 import MultiSiteRecord, RegistrationChanged
from institutions.domain.activation import InvalidChannel, RequestDecided, RequestStatus
from institutions.domain.institutions import InstitutionExists, InvalidCreditCode
from institutions.domain.reviews import AlreadyDecided, ReasonRequired, TaskStatus
from institutions.domain.roster import RosterRole
from institutions.service import activation, institutions, reviews, roster
from regsys_runtime.auth import Principal
from regsys_runtime.errors import Forbidden, NotFound, NotYet
from regsys_runtime.paging import Window

pytestmark = pytest.mark.integration

CREDIT_CODE = "91350100M000100Y43"
NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
ADMIN = Principal(account_id=uuid.uuid4(), role=Role.ADMIN)
CLIENT = "203.0.113.7"


async def an_institution(unit_of_work, *, auto_activation=False, credit_code=CREDIT_CODE):
    return await institutions.register_institution(
        uow=unit_of_work(), admin=ADMIN, client_address=CLIENT, now=NOW, name="福州市第一医院",
        credit_code=credit_code, licence_number="PDY001", region_code="350100", auto_activation=auto_activation,
    )  # fmt: skip


def staff_of(institution_id) -> Principal:
    return Principal(account_id=uuid.uuid4(), role=Role.INSTITUTION_STAFF, institution_id=institution_id)


async def test_an_institution_is_loaded_once_and_recorded(unit_of_work, published):
    loaded = await an_institution(unit_of_work)
    assert [i.id for i in await institutions.list_institutions(uow=unit_of_work(), region_code="350100")] == [loaded.id]
    assert await institutions.list_institutions(uow=unit_of_work(), region_code="110000") == []
    with pytest.raises(InstitutionExists):
        await an_institution(unit_of_work)
    with pytest.raises(InvalidCreditCode):
        await an_institution(unit_of_work, credit_code="91350100M000100Y44")
    [(event_type, payload)] = await published()
    assert event_type == "institutions.institution_recorded"
    assert payload["institution_id"] == str(loaded.id)


def submitted(institution_id, *, at=NOW) -> ApplicationSubmitted:
    return ApplicationSubmitted(
        application_id=uuid.uuid4(), account_id=uuid.uuid4(), application_type=ApplicationType.INITIAL_REGISTRATION,
        institution_id=institution_id, category=PracticeCategory.CLINICAL, physician_name="欧阳·明",
        id_number_masked="1101**********0011", details=ApplicationDetails(reason="新入职"), submitted_at=at,
    )  # fmt: skip


async def open_task(unit_of_work, event):
    async with unit_of_work() as uow:
        await reviews.open_review_task(uow=uow, event=event)
        await reviews.open_review_task(uow=uow, event=event)  # delivered twice: one task
        await uow.commit()


async def test_the_queue_pages_oldest_first_and_the_decision_is_published(unit_of_work, published):
    institution = await an_institution(unit_of_work)
    staff = staff_of(institution.id)
    events = [submitted(institution.id, at=NOW + timedelta(minutes=i)) for i in range(3)]
    for event in events:
        await open_task(unit_of_work, event)
    page = await reviews.review_queue(
        uow=unit_of_work(), staff=staff, status=TaskStatus.OPEN, application_type=None, window=Window(2, 1)
    )
    assert page.total == 3
    assert [t.application_id for t in page.items] == [e.application_id for e in events[1:]]
    task = page.items[0]
    assert task.details["reason"] == "新入职"

    with pytest.raises(ReasonRequired):
        await reviews.decide_review(
            uow=unit_of_work(),
            client_address=CLIENT,
            staff=staff,
            task_id=task.id,
            outcome=ReviewOutcome.REJECTED,
            reason=" ",
            now=NOW,
        )
    with pytest.raises(NotFound):
        await reviews.decide_review(
            uow=unit_of_work(), client_address=CLIENT, staff=staff_of(uuid.uuid4()), task_id=task.id,
            outcome=ReviewOutcome.APPROVED, reason=None, now=NOW,
        )  # fmt: skip
    decided = await reviews.decide_review(
        uow=unit_of_work(),
        client_address=CLIENT,
        staff=staff,
        task_id=task.id,
        outcome=ReviewOutcome.REJECTED,
        reason="材料不全",
        now=NOW,
    )
    assert (decided.status, decided.reason, decided.reviewer_id, decided.decided_at) == (
        TaskStatus.REJECTED, "材料不全", staff.account_id, NOW,
    )  # fmt: skip
    assert await reviews.task_of(uow=unit_of_work(), staff=staff, task_id=task.id) == decided
    with pytest.raises(AlreadyDecided):
        await reviews.decide_review(
            uow=unit_of_work(),
            client_address=CLIENT,
            staff=staff,
            task_id=task.id,
            outcome=ReviewOutcome.APPROVED,
            reason=None,
            now=NOW,
        )
    event_type, payload = (await published())[-1]
    assert event_type == "institutions.review_completed"
    assert (payload["region_code"], payload["outcome"], payload["reason"]) == ("350100", "rejected", "材料不全")


def withdrawal_of(event: ApplicationSubmitted, *, at=NOW) -> WithdrawalRequested:
    return WithdrawalRequested(
        application_id=event.application_id, account_id=event.account_id, application_type=event.application_type,
        institution_id=event.institution_id, requested_at=at,
    )  # fmt: skip


async def settle(unit_of_work, event: WithdrawalRequested) -> None:
    async with unit_of_work() as uow:
        await reviews.settle_withdrawal(uow=uow, event=event)
        await uow.commit()


async def test_a_withdrawal_request_ends_an_open_task_and_a_decision_that_came_first_stands(unit_of_work, published):
    institution = await an_institution(unit_of_work)
    staff = staff_of(institution.id)
    open_one, decided_one = submitted(institution.id), submitted(institution.id)
    for event in (open_one, decided_one):
        await open_task(unit_of_work, event)
    page = await reviews.review_queue(uow=unit_of_work(), staff=staff, status=None, application_type=None,
                                      window=Window())  # fmt: skip
    task_of = {t.application_id: t for t in page.items}
    await reviews.decide_review(
        uow=unit_of_work(), staff=staff, task_id=task_of[decided_one.application_id].id,
        outcome=ReviewOutcome.APPROVED, reason=None, now=NOW, client_address=CLIENT,
    )  # fmt: skip
    before = len(await published())

    later = NOW + timedelta(seconds=1)
    await settle(unit_of_work, withdrawal_of(open_one, at=later))
    await settle(unit_of_work, withdrawal_of(decided_one, at=later))

    page = await reviews.review_queue(uow=unit_of_work(), staff=staff, status=None, application_type=None,
                                      window=Window())  # fmt: skip
    assert {t.application_id: (t.status, t.decided_at) for t in page.items} == {
        open_one.application_id: (TaskStatus.WITHDRAWN, later),
        decided_one.application_id: (TaskStatus.APPROVED, NOW),  # the decision came first: it stands
    }
    # one answer only, for the open task: the decided one's answer is its review_completed, already sent
    news = (await published())[before:]
    assert [(t, p["application_id"], p["withdrawn_at"]) for t, p in news] == [
        ("institutions.review_withdrawn", str(open_one.application_id), later.isoformat().replace("+00:00", "Z")),
    ]
    # and the staff can no longer decide the withdrawn one
    with pytest.raises(AlreadyDecided):
        await reviews.decide_review(
            uow=unit_of_work(), staff=staff, task_id=task_of[open_one.application_id].id,
            outcome=ReviewOutcome.APPROVED, reason=None, now=later, client_address=CLIENT,
        )  # fmt: skip


async def test_a_withdrawal_request_before_its_task_waits_for_it(unit_of_work):
    institution = await an_institution(unit_of_work)
    early = submitted(institution.id)
    with pytest.raises(NotYet):
        await settle(unit_of_work, withdrawal_of(early))
    await open_task(unit_of_work, early)
    await settle(unit_of_work, withdrawal_of(early))
    page = await reviews.review_queue(uow=unit_of_work(), staff=staff_of(institution.id), status=None,
                                      application_type=None, window=Window())  # fmt: skip
    assert [t.status for t in page.items] == [TaskStatus.WITHDRAWN]


async def test_a_closed_application_closes_its_task_unless_it_was_decided(unit_of_work):
    institution = await an_institution(unit_of_work)
    staff = staff_of(institution.id)
    open_one, withdrawn_one, decided_one = (submitted(institution.id) for _ in range(3))
    for event in (open_one, withdrawn_one, decided_one):
        await open_task(unit_of_work, event)
    page = await reviews.review_queue(uow=unit_of_work(), staff=staff, status=None, application_type=None,
                                      window=Window())  # fmt: skip
    decided_task = next(t for t in page.items if t.application_id == decided_one.application_id)
    await reviews.decide_review(uow=unit_of_work(), staff=staff, task_id=decided_task.id,
                                outcome=ReviewOutcome.REJECTED, reason="材料不全", now=NOW,
                                client_address=CLIENT)  # fmt: skip
    # applications closed this one before the institution's answer to its withdrawal arrived: the closure stands
    await settle(unit_of_work, withdrawal_of(withdrawn_one))
    async with unit_of_work() as uow:
        for event in (open_one, withdrawn_one, decided_one):
            await reviews.end_task(uow=uow, event=ApplicationClosed(
                application_id=event.application_id, account_id=event.account_id,
                application_type=ApplicationType.INITIAL_REGISTRATION, institution_id=institution.id,
                reason="注册已变更", closed_at=NOW,
            ))  # fmt: skip
        await uow.commit()
    page = await reviews.review_queue(uow=unit_of_work(), staff=staff, status=None, application_type=None,
                                      window=Window())  # fmt: skip
    assert {t.application_id: (t.status, t.reason) for t in page.items} == {
        open_one.application_id: (TaskStatus.CLOSED, "注册已变更"),
        withdrawn_one.application_id: (TaskStatus.CLOSED, "注册已变更"),
        decided_one.application_id: (TaskStatus.REJECTED, "材料不全"),
    }


def requested(institution_id) -> ActivationRequested:
    return ActivationRequested(
        account_id=uuid.uuid4(), institution_id=institution_id, real_name="欧阳·明",
        id_number_masked="1101**********0011", category=PracticeCategory.CLINICAL,
    )  # fmt: skip


async def receive(unit_of_work, event):
    async with unit_of_work() as uow:
        await activation.receive_activation_request(uow=uow, event=event, at=NOW)
        await uow.commit()


async def test_staff_send_a_code_or_decline_and_automatic_activation_grants_the_rest(unit_of_work, published):
    institution = await an_institution(unit_of_work)
    staff = staff_of(institution.id)
    coded, declined, waiting = (requested(institution.id) for _ in range(3))
    for event in (coded, declined, waiting):
        await receive(unit_of_work, event)
    with pytest.raises(InvalidChannel):
        await activation.send_activation_code(
            uow=unit_of_work(),
            client_address=CLIENT,
            staff=staff,
            account_id=coded.account_id,
            channel=Channel.INBOX,
            now=NOW,
        )
    await activation.send_activation_code(
        uow=unit_of_work(),
        client_address=CLIENT,
        staff=staff,
        account_id=coded.account_id,
        channel=Channel.SMS,
        now=NOW,
    )
    await activation.decline(
        uow=unit_of_work(), client_address=CLIENT, staff=staff, account_id=declined.account_id, reason="非本院", now=NOW
    )
    with pytest.raises(RequestDecided):
        await activation.decline(
            uow=unit_of_work(), client_address=CLIENT, staff=staff, account_id=declined.account_id, reason="x", now=NOW
        )
    with pytest.raises(NotFound):
        await activation.decline(
            uow=unit_of_work(),
            client_address=CLIENT,
            staff=staff_of(uuid.uuid4()),
            account_id=waiting.account_id,
            reason="x",
            now=NOW,
        )
    with pytest.raises(Forbidden):
        await activation.set_auto_activation(
            uow=unit_of_work(),
            client_address=CLIENT,
            staff=staff_of(uuid.uuid4()),
            institution_id=institution.id,
            enabled=True,
            now=NOW,
        )
    later = NOW + timedelta(hours=1)
    await activation.set_auto_activation(
        uow=unit_of_work(), client_address=CLIENT, staff=staff, institution_id=institution.id, enabled=True, now=later
    )
    found = (await activation.pending_requests(uow=unit_of_work(), staff=staff, status=None, window=Window())).items
    assert {(r.account_id, r.status, r.decided_at) for r in found} == {
        (coded.account_id, RequestStatus.CODE_SENT, NOW),
        (declined.account_id, RequestStatus.DECLINED, NOW),
        (waiting.account_id, RequestStatus.GRANTED, later),
    }
    assert next(r for r in found if r.account_id == declined.account_id).decided_by == staff.account_id
    kinds = [(t, p.get("method"), p.get("account_id")) for t, p in await published()]
    assert kinds[-4:] == [
        ("institutions.activation_granted", "activation_code", str(coded.account_id)),
        ("institutions.activation_declined", None, str(declined.account_id)),
        ("institutions.institution_recorded", None, None),
        ("institutions.activation_granted", "automatic", str(waiting.account_id)),
    ]

    # with automatic activation on, a new request is granted on arrival, and asking again reopens a declined one
    arrived = requested(institution.id)
    await receive(unit_of_work, arrived)
    await receive(unit_of_work, declined)
    found = (
        await activation.pending_requests(
            uow=unit_of_work(), staff=staff, status=RequestStatus.GRANTED, window=Window()
        )
    ).items
    assert {r.account_id for r in found} == {waiting.account_id, arrived.account_id, declined.account_id}
    assert {r.reason for r in found} == {None}


def changed(account_id, status, main, multi_sites=()) -> RegistrationChanged:
    return RegistrationChanged(
        account_id=account_id, certificate_number="110000000000001", status=status,
        category=PracticeCategory.CLINICAL, main_institution_id=main, multi_sites=multi_sites, changed_at=NOW,
        physician_name="欧阳·明",
    )  # fmt: skip


async def follow(unit_of_work, event):
    async with unit_of_work() as uow:
        await roster.follow_register(uow=uow, event=event)
        await uow.commit()


async def test_the_roster_follows_the_register(unit_of_work):
    main, other = uuid.uuid4(), uuid.uuid4()
    physician = uuid.uuid4()
    site = MultiSiteRecord(filing_id=uuid.uuid4(), institution_id=other, starts_on=date(2025, 3, 1),
                           ends_on=date(2026, 3, 1))  # fmt: skip
    await follow(unit_of_work, changed(physician, RegistrationStatus.VALID, main, (site,)))
    await follow(unit_of_work, changed(uuid.uuid4(), RegistrationStatus.VALID, other))
    at_other = await roster.roster_of(uow=unit_of_work(), staff=staff_of(other), role=None, window=Window())
    assert at_other.total == 2
    assert [e.role for e in at_other.items] == [RosterRole.MAIN, RosterRole.MULTI_SITE]
    multi = at_other.items[1]
    assert (multi.account_id, multi.starts_on, multi.ends_on) == (physician, date(2025, 3, 1), date(2026, 3, 1))
    only_multi = await roster.roster_of(
        uow=unit_of_work(), staff=staff_of(other), role=RosterRole.MULTI_SITE, window=Window(limit=1)
    )
    assert [e.account_id for e in only_multi.items] == [physician]

    await follow(unit_of_work, changed(physician, RegistrationStatus.DEREGISTERED, main, (site,)))
    assert (await roster.roster_of(uow=unit_of_work(), staff=staff_of(main), role=None, window=Window())).total == 0
    at_other = await roster.roster_of(uow=unit_of_work(), staff=staff_of(other), role=None, window=Window())
    assert [e.role for e in at_other.items] == [RosterRole.MAIN]


async def test_an_older_register_snapshot_arriving_last_leaves_the_roster_as_it_is(unit_of_work):
    main, physician = uuid.uuid4(), uuid.uuid4()

    def at(version: int, status: RegistrationStatus) -> RegistrationChanged:
        return changed(physician, status, main).model_copy(update={"register_version": version})

    await follow(unit_of_work, at(1, RegistrationStatus.VALID))
    await follow(unit_of_work, at(3, RegistrationStatus.DEREGISTERED))
    await follow(unit_of_work, at(2, RegistrationStatus.FILED))  # late and older: the roster keeps version 3
    assert (await roster.roster_of(uow=unit_of_work(), staff=staff_of(main), role=None, window=Window())).total == 0
