"""The roster: who practises at each institution, main and multi-site, kept from the register's snapshots."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import RowMapping

from contracts.enums import RegistrationStatus
from contracts.licensing.v1 import RegistrationChanged
from institutions.adapters.tables import roster
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork


class RosterRole(StrEnum):
    MAIN = "main"
    MULTI_SITE = "multi_site"


async def follow_register(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    """Replace the physician's rows: a deregistered physician practises nowhere."""
    await uow.session.execute(delete(roster).where(roster.c.account_id == event.account_id))
    if event.status is RegistrationStatus.DEREGISTERED:
        return
    common: dict[str, object] = {
        "account_id": event.account_id,
        "physician_name": event.physician_name,
        "id_number_masked": event.id_number_masked,
        "certificate_number": event.certificate_number,
        "category": event.category,
        "registration_status": event.status,
        "since": event.changed_at,
    }
    rows: list[dict[str, object]] = [{**common, "institution_id": event.main_institution_id, "role": RosterRole.MAIN}]
    rows += [
        {
            **common,
            "institution_id": m.institution_id,
            "role": RosterRole.MULTI_SITE,
            "starts_on": m.starts_on,
            "ends_on": m.ends_on,
        }
        for m in event.multi_sites
        if m.institution_id != event.main_institution_id
    ]
    await uow.session.execute(insert(roster), rows)


async def roster_of(
    *, uow: UnitOfWork, staff: Principal, role: RosterRole | None, limit: int, offset: int
) -> tuple[list[RowMapping], int]:
    where = [roster.c.institution_id == staff.institution_id]
    if role:
        where.append(roster.c.role == role)
    query = select(roster).where(*where).order_by(roster.c.role, roster.c.physician_name, roster.c.account_id)
    async with uow:
        total = await uow.session.scalar(select(func.count()).select_from(roster).where(*where))
        rows = (await uow.session.execute(query.limit(limit).offset(offset))).mappings().all()
    return list(rows), int(total or 0)
