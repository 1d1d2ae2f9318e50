"""Reading applications: the physician's own, and what reviewers of one application may see of it."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import RowMapping

from applications.adapters.tables import applications, history, institutions, photos, physicians, registrations
from applications.service.common import one
from contracts.enums import ApplicationStatus, Role
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem

NOT_FOUND = Problem(404, "not-found", "No such application that you may see.")


async def steps_of(uow: UnitOfWork, application_id: UUID) -> list[RowMapping]:
    query = select(history).where(history.c.application_id == application_id).order_by(history.c.at, history.c.seq)
    return list((await uow.session.execute(query)).mappings().all())


async def own_applications(*, uow: UnitOfWork, physician: Principal) -> list[RowMapping]:
    async with uow:
        query = (
            select(applications)
            .where(applications.c.account_id == physician.account_id)
            .order_by(applications.c.updated_at.desc())
        )
        return list((await uow.session.execute(query)).mappings().all())


async def may_see(uow: UnitOfWork, viewer: Principal, row: RowMapping) -> bool:
    """The owner; staff of the reviewing institution; officers of its region once it reached them."""
    if viewer.role is Role.PHYSICIAN:
        return row.account_id == viewer.account_id
    if row.status == ApplicationStatus.DRAFT:
        return False
    if viewer.role is Role.INSTITUTION_STAFF:
        return viewer.institution_id == row.institution_id
    if viewer.role is Role.OFFICER:
        institution = await one(uow, institutions, institutions.c.id, row.institution_id)
        return institution is not None and institution.region_code == viewer.region_code
    return False


async def application_for(
    *, uow: UnitOfWork, viewer: Principal, application_id: UUID
) -> tuple[RowMapping, list[RowMapping]]:
    async with uow:
        row = await one(uow, applications, applications.c.id, application_id)
        if row is None or not await may_see(uow, viewer, row):
            raise NOT_FOUND
        return row, await steps_of(uow, application_id)


async def photo_for(*, uow: UnitOfWork, viewer: Principal, application_id: UUID) -> RowMapping:
    async with uow:
        row = await one(uow, applications, applications.c.id, application_id)
        if row is None or not await may_see(uow, viewer, row):
            raise NOT_FOUND
        photo = await one(uow, photos, photos.c.application_id, application_id)
    if photo is None:
        raise Problem(404, "no-photo", "This application has no photo.")
    return photo


async def form_data(
    *, uow: UnitOfWork, viewer: Principal, application_id: UUID
) -> tuple[RowMapping, RowMapping | None, dict[UUID, str], UUID | None]:
    """The application, the applicant and the names of the institutions it names, for the printable form."""
    async with uow:
        row = await one(uow, applications, applications.c.id, application_id)
        if row is None or not await may_see(uow, viewer, row):
            raise NOT_FOUND
        person = await one(uow, physicians, physicians.c.account_id, row.account_id)
        register = await one(uow, registrations, registrations.c.account_id, row.account_id)
        named = {row.institution_id, register.main_institution_id if register else None}
        named.add(UUID(row.details["target_institution_id"]) if row.details.get("target_institution_id") else None)
        query = select(institutions.c.id, institutions.c.name).where(institutions.c.id.in_(named - {None}))
        names = dict((await uow.session.execute(query)).tuples().all())
    return row, person, names, register.main_institution_id if register else None
