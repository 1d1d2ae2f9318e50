"""Submitting a draft: every precondition again, one open application per part of the register, then off it goes."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from applications.adapters.applications import application_by_id, part_is_busy
from applications.adapters.photos import has_photo
from applications.adapters.registrations import lock_account
from applications.domain.application import Application, HistoryEntry, PhotoMissing, yours
from applications.domain.kinds import KINDS, affects
from applications.domain.preconditions import OpenElsewhere
from applications.domain.register import Applicant
from applications.service.eligibility import eligible_applicant, reviewer_of
from applications.service.lifecycle import record
from contracts.applications.v1 import ApplicationSubmitted
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork


async def submit(
    *, uow: UnitOfWork, physician: Principal, application_id: UUID, today: date, now: datetime
) -> Application:
    async with uow:
        s, account_id = uow.session, physician.account_id
        await lock_account(s, account_id=account_id)
        draft = yours(await application_by_id(s, application_id=application_id, for_update=True), account_id)
        submitted, sent = draft.submission()
        if KINDS[draft.kind].needs_photo and not await has_photo(s, application_id=draft.id):
            raise PhotoMissing()
        person, register = await eligible_applicant(
            s, account_id=account_id, kind=draft.kind, details=draft.details, today=today
        )
        part = affects(draft.kind, draft.details, register)
        if await part_is_busy(s, account_id=account_id, part=part):
            raise OpenElsewhere()
        institution_id = await reviewer_of(s, draft.kind, draft.details, register)  # the register may have moved on
        application = await record(
            uow,
            draft.submitted(affects=part, institution_id=institution_id, at=now),
            HistoryEntry.of(submitted, actor="physician", actor_id=account_id, reason=None, at=now),
            HistoryEntry.of(sent, actor="system", actor_id=None, reason=None, at=now),
        )
        uow.publish(submitted_event(application, person, at=now), subject_id=account_id)
        await uow.commit()
    return application


def submitted_event(application: Application, applicant: Applicant, *, at: datetime) -> ApplicationSubmitted:
    """The news of a submission, for the reviewing institution."""
    return ApplicationSubmitted(
        application_id=application.id,
        account_id=application.account_id,
        application_type=application.kind,
        institution_id=application.institution_id,
        category=applicant.category,
        physician_name=applicant.name,
        id_number_masked=applicant.id_number_masked,
        details=application.details,
        submitted_at=at,
    )
