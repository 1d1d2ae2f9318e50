"""The roster: who practises at each institution, main and multi-site, kept from the register's snapshots."""

from __future__ import annotations

from datetime import datetime

from contracts.licensing.v1 import RegistrationChanged
from institutions.adapters import roster
from institutions.domain.audit import AuditAction
from institutions.domain.roster import RosterEntry, RosterRole, entries_of
from institutions.domain.search import PhysicianSearch
from institutions.service.audit import note
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.paging import Page, Window


async def follow_register(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    """Replace the physician's rows with those of the snapshot, unless the rows follow a newer one already."""
    if await roster.move_to_version(uow.session, account_id=event.account_id, version=event.register_version):
        await roster.replace_entries(uow.session, account_id=event.account_id, entries=entries_of(event))


async def roster_of(
    *,
    uow: UnitOfWork,
    staff: Principal,
    role: RosterRole | None,
    search: PhysicianSearch | None = None,
    window: Window,
) -> Page[RosterEntry]:
    """One window of the staff's institution's roster that matches the search, and how many match in all."""
    async with uow:
        return await roster.roster_at(
            uow.session, institution_id=staff.institution_id, role=role, search=search or PhysicianSearch(),
            window=window,
        )  # fmt: skip


async def export_roster(
    *,
    uow: UnitOfWork,
    staff: Principal,
    client_address: str | None,
    role: RosterRole | None,
    search: PhysicianSearch,
    now: datetime,
) -> list[RosterEntry]:
    """The whole roster that matches, for a file the employer keeps; the export itself is audited."""
    async with uow:
        entries = await roster.whole_roster(uow.session, institution_id=staff.institution_id, role=role, search=search)
        await note(
            uow, staff, client_address, AuditAction.ROSTER_EXPORTED, at=now, institution_id=staff.institution_id,
            subject_id=None, rows=len(entries), role=role.value if role else None,
            search={k: v for k, v in vars(search).items() if v},
        )  # fmt: skip
        await uow.commit()
    return entries
