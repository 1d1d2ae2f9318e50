"""Submitting a draft: every precondition again, one open application per part of the register, then off it goes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from applications.adapters.tables import applications, photos, physicians
from applications.domain.kinds import KINDS, affects
from applications.domain.machine import OPEN, TransitionRefused, Trigger, step
from applications.domain.preconditions import refusal
from applications.service.common import (
    account_of,
    details_of,
    lock_account,
    one,
    own_for_update,
    problem_of,
    register_of,
)
from applications.service.drafts import reviewer_of
from applications.service.lifecycle import record
from contracts.applications.v1 import ApplicationSubmitted
from contracts.enums import ApplicationStatus, ApplicationType
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields

OPEN_ELSEWHERE = Problem(
    409,
    "application-open",
    "You have an open application affecting the same registration; wait for its decision or withdraw it.",
    title="The application cannot be filed",
)


async def submit(*, uow: UnitOfWork, physician: Principal, application_id: UUID, today: date) -> RowMapping:
    async with uow:
        await lock_account(uow, physician.account_id)
        row = await own_for_update(uow, physician.account_id, application_id)
        kind, details = ApplicationType(row.application_type), details_of(row)
        try:
            submitted = step(kind, ApplicationStatus(row.status), Trigger.SUBMIT)
        except TransitionRefused as not_a_draft:
            raise Problem(409, "not-a-draft", not_a_draft.detail) from None
        if KINDS[kind].needs_photo and await one(uow, photos, photos.c.application_id, row.id) is None:
            raise invalid_fields(("photo", "Upload a photo (JPEG or PNG) before you submit."))
        account = await account_of(uow, physician.account_id)
        register = await register_of(uow, physician.account_id)
        if refused := refusal(kind, details, account=account, register=register, today=today):
            raise problem_of(refused)
        part = affects(kind, details, register)
        busy = select(applications.c.id).where(
            applications.c.account_id == physician.account_id,
            applications.c.affects == part,
            applications.c.status.in_(OPEN),
        )
        if (await uow.session.execute(busy)).first():
            raise OPEN_ELSEWHERE
        institution_id = await reviewer_of(uow, kind, details, register)  # the register may have moved on
        now = datetime.now(UTC)
        await uow.session.execute(
            update(applications)
            .where(applications.c.id == row.id)
            .values(affects=part, institution_id=institution_id, submitted_at=now)
        )
        await record(uow, row, submitted, actor="physician", actor_id=physician.account_id, reason=None, at=now)
        sent = step(kind, submitted.after, Trigger.SEND_TO_INSTITUTION)
        await record(uow, row, sent, actor="system", actor_id=None, reason=None, at=now)
        person = await one(uow, physicians, physicians.c.account_id, physician.account_id)
        assert person is not None
        assert account is not None
        assert account.category is not None
        uow.publish(
            ApplicationSubmitted(
                application_id=row.id,
                account_id=physician.account_id,
                application_type=kind,
                institution_id=institution_id,
                category=account.category,
                physician_name=person.real_name,
                id_number_masked=person.id_number_masked,
                details=details,
                submitted_at=now,
            ),
            subject_id=physician.account_id,
        )
        try:
            await uow.commit()
        except IntegrityError:  # another submission of the same part won the race
            raise OPEN_ELSEWHERE from None
        updated = await one(uow, applications, applications.c.id, row.id)
    assert updated is not None
    return updated
