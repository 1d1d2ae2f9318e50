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
    """Every check again under the account's lock, both steps in the history, and the news for the institution."""
    async with uow:
        session, account_id = uow.session, physician.account_id
        await lock_account(session, account_id=account_id)
        draft = yours(await application_by_id(session, application_id=application_id, for_update=True), account_id)
        submitted, sent = draft.submission()
        if KINDS[draft.kind].needs_photo and not await has_photo(session, application_id=draft.id):
            raise PhotoMissing()
        kind, details = draft.kind, draft.details
        person, register = await eligible_applicant(
            session, account_id=account_id, kind=kind, details=details, today=today
        )
        part = affects(kind, details, register)
        if await part_is_busy(session, account_id=account_id, part=part):
            raise OpenElsewhere()
        # the register may have moved on since the draft was made
        institution_id = await reviewer_of(session, kind=kind, details=details, register=register)
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
