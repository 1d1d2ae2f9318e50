"""Filling in an application: a draft of one of the eight types, and its photo."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from uuid import UUID

from applications.adapters import images
from applications.adapters.applications import add_application, add_history, application_by_id, save_application
from applications.adapters.photos import put_photo
from applications.domain.application import Application, HistoryEntry, yours
from applications.domain.photos import accepted_photo, refuse_size
from applications.service.eligibility import eligible_applicant, reviewer_of
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import ApplicationStatus, ApplicationType
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork


async def create_draft(
    *,
    uow: UnitOfWork,
    physician: Principal,
    kind: ApplicationType,
    details: ApplicationDetails,
    today: date,
    now: datetime,
) -> Application:
    """A draft the physician may still complete (a photo) and then submit; refused early if it cannot succeed."""
    async with uow:
        person, register = await eligible_applicant(
            uow.session, account_id=physician.account_id, kind=kind, details=details, today=today
        )
        draft = Application(
            id=uuid.uuid4(),
            account_id=physician.account_id,
            kind=kind,
            status=ApplicationStatus.DRAFT,
            institution_id=await reviewer_of(uow.session, kind=kind, details=details, register=register),
            category=person.category,
            details=details,
            updated_at=now,
        )
        await add_application(uow.session, application=draft)
        created = HistoryEntry(ApplicationStatus.DRAFT, "physician", physician.account_id, outcome="create", at=now)
        await add_history(uow.session, application_id=draft.id, entry=created)
        await uow.commit()
    return draft


async def upload_photo(
    *, uow: UnitOfWork, physician: Principal, application_id: UUID, content: bytes, now: datetime
) -> str:
    """Store the photo with a draft that takes one; returns its SHA-256."""
    refuse_size(len(content))
    photo = accepted_photo(content, images.inspect(content), at=now)
    async with uow:
        found = await application_by_id(uow.session, application_id=application_id, for_update=True)
        draft = yours(found, physician.account_id).with_photo(photo.sha256, at=now)
        await put_photo(uow.session, application_id=application_id, photo=photo)
        await save_application(uow.session, application=draft)
        await uow.commit()
    return photo.sha256
