"""Filling in an application: a draft of one of the eight types, and its photo."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from applications.adapters import images
from applications.adapters.tables import applications, history, institutions, photos
from applications.domain.kinds import CHOSEN_INSTITUTION, KINDS, reviewing_institution
from applications.domain.photos import MEDIA_TYPES, photo_problem, size_problem
from applications.domain.preconditions import refusal
from applications.domain.register import Register
from applications.service.common import account_of, one, own_for_update, problem_of, register_of
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import ApplicationStatus, ApplicationType
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields


async def reviewer_of(
    uow: UnitOfWork, kind: ApplicationType, details: ApplicationDetails, register: Register | None
) -> UUID:
    institution_id = reviewing_institution(kind, details, register)
    if institution_id is None:
        raise Problem(409, "no-reviewing-institution", "The register names no institution to review this.")
    if kind in CHOSEN_INSTITUTION and await one(uow, institutions, institutions.c.id, institution_id) is None:
        raise invalid_fields(("institution_id", "No such institution; choose one from the list of institutions."))
    return institution_id


async def create_draft(
    *, uow: UnitOfWork, physician: Principal, kind: ApplicationType, details: ApplicationDetails, today: date
) -> RowMapping:
    """A draft the physician may still complete (a photo) and then submit; refused early if it cannot succeed."""
    async with uow:
        account = await account_of(uow, physician.account_id)
        register = await register_of(uow, physician.account_id)
        if refused := refusal(kind, details, account=account, register=register, today=today):
            raise problem_of(refused)
        assert account is not None
        assert account.category is not None
        institution_id = await reviewer_of(uow, kind, details, register)
        now, application_id = datetime.now(UTC), uuid.uuid4()
        await uow.session.execute(
            insert(applications).values(
                id=application_id,
                account_id=physician.account_id,
                application_type=kind,
                status=ApplicationStatus.DRAFT,
                institution_id=institution_id,
                category=account.category,
                details=details.model_dump(mode="json"),
                updated_at=now,
            )
        )
        await uow.session.execute(
            insert(history).values(
                id=uuid.uuid4(),
                application_id=application_id,
                status=ApplicationStatus.DRAFT,
                actor="physician",
                actor_id=physician.account_id,
                outcome="create",
                at=now,
            )
        )
        await uow.commit()
        row = await one(uow, applications, applications.c.id, application_id)
    assert row is not None
    return row


async def upload_photo(*, uow: UnitOfWork, physician: Principal, application_id: UUID, content: bytes) -> str:
    """Store the photo with a draft that takes one; returns its SHA-256."""
    if problem := size_problem(len(content)):
        raise invalid_fields(("photo", problem), detail=problem)
    picture = images.inspect(content)
    if problem := photo_problem(len(content), picture):
        raise invalid_fields(("photo", problem), detail=problem)
    assert picture.format is not None
    async with uow:
        row = await own_for_update(uow, physician.account_id, application_id)
        if not KINDS[ApplicationType(row.application_type)].needs_photo:
            raise Problem(409, "no-photo-here", f"A {row.application_type} application takes no photo.")
        if row.status != ApplicationStatus.DRAFT:
            raise Problem(409, "not-a-draft", f"The application is {row.status}; only a draft's photo can change.")
        now, sha256 = datetime.now(UTC), hashlib.sha256(content).hexdigest()
        values = {
            "content": content,
            "media_type": MEDIA_TYPES[picture.format],
            "sha256": sha256,
            "width": picture.width,
            "height": picture.height,
            "uploaded_at": now,
        }
        stmt = pg_insert(photos).values(application_id=application_id, **values)
        await uow.session.execute(stmt.on_conflict_do_update(index_elements=[photos.c.application_id], set_=values))
        details = {**row.details, "photo_sha256": sha256}
        await uow.session.execute(
            update(applications).where(applications.c.id == application_id).values(details=details, updated_at=now)
        )
        await uow.commit()
    return sha256
