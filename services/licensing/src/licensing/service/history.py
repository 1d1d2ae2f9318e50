"""Looking up registrations: the physician's own, and a physician's history for officers of their region."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import exists, or_, select
from sqlalchemy.engine import RowMapping

from licensing.adapters.tables import (
    authority_tasks,
    institutions,
    multi_site_filings,
    registration_history,
    registrations,
)
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem


async def registration_of(*, uow: UnitOfWork, account_id: UUID) -> RowMapping:
    async with uow:
        query = select(registrations).where(registrations.c.account_id == account_id)
        row = (await uow.session.execute(query)).mappings().first()
        if row is None:
            raise Problem(404, "not-registered", "There is no practice registration for this physician yet.")
        sites = select(multi_site_filings).where(
            multi_site_filings.c.account_id == account_id, multi_site_filings.c.status == "valid"
        )
        return {**row, "multi_sites": list((await uow.session.execute(sites)).mappings().all())}  # type: ignore[return-value]


async def history_of(*, uow: UnitOfWork, account_id: UUID) -> list[RowMapping]:
    async with uow:
        query = (
            select(registration_history)
            .where(registration_history.c.account_id == account_id)
            .order_by(registration_history.c.seq)
        )
        return list((await uow.session.execute(query)).mappings().all())


async def officer_may_look_up(*, uow: UnitOfWork, officer: Principal, account_id: UUID) -> bool:
    """An officer sees physicians practising in their region, or with an application decided there."""
    in_region = select(institutions.c.id).where(institutions.c.region_code == officer.region_code)
    query = select(
        or_(
            exists().where(
                registration_history.c.account_id == account_id,
                registration_history.c.main_institution_id.in_(in_region),
            ),
            exists().where(
                multi_site_filings.c.account_id == account_id, multi_site_filings.c.institution_id.in_(in_region)
            ),
            exists().where(
                authority_tasks.c.account_id == account_id, authority_tasks.c.region_code == officer.region_code
            ),
        )
    )
    async with uow:
        return bool(await uow.session.scalar(query))
