"""Reading applications: the physician's own, and what reviewers of one application may see of it."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from applications.adapters.applications import application_by_id, applications_of, history_of, reached_authority
from applications.adapters.institutions import institution_by_id
from applications.adapters.photos import photo_of
from applications.domain.application import Application, HistoryEntry
from applications.domain.institutions import may_see
from applications.domain.photos import NoPhoto, Photo
from contracts.enums import Role
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, NotFound


async def visible_application(session: AsyncSession, *, viewer: Principal, application_id: UUID) -> Application:
    """The application, if the viewer may see it; one they may not see answers as if there were none."""
    application = await application_by_id(session, application_id=application_id)
    if application is not None:
        reviewer = await institution_by_id(session, institution_id=application.institution_id)
        reached = viewer.role is Role.OFFICER and await reached_authority(session, application_id=application_id)
        if may_see(viewer, application, reviewer, reached_authority=reached):
            return application
    raise NotFound(Message("No such application that you may see.", zh="没有您可以查看的这份申请。"))


async def own_applications(*, uow: UnitOfWork, physician: Principal) -> list[Application]:
    async with uow:
        return await applications_of(uow.session, account_id=physician.account_id)


async def application_for(
    *, uow: UnitOfWork, viewer: Principal, application_id: UUID
) -> tuple[Application, list[HistoryEntry]]:
    """One application with its whole history."""
    async with uow:
        application = await visible_application(uow.session, viewer=viewer, application_id=application_id)
        return application, await history_of(uow.session, application_id=application_id)


async def photo_for(*, uow: UnitOfWork, viewer: Principal, application_id: UUID) -> Photo:
    async with uow:
        await visible_application(uow.session, viewer=viewer, application_id=application_id)
        photo = await photo_of(uow.session, application_id=application_id)
    if photo is None:
        raise NoPhoto()
    return photo
