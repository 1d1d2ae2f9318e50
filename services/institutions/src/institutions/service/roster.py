"""The roster: who practises at each institution, main and multi-site, kept from the register's snapshots."""

from __future__ import annotations

from contracts.licensing.v1 import RegistrationChanged
from institutions.adapters import roster
from institutions.domain.roster import RosterEntry, RosterRole, entries_of
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.paging import Page, Window


async def follow_register(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    """Replace the physician's rows with those of the snapshot."""
    await roster.replace_entries(uow.session, account_id=event.account_id, entries=entries_of(event))


async def roster_of(*, uow: UnitOfWork, staff: Principal, role: RosterRole | None, window: Window) -> Page[RosterEntry]:
    async with uow:
        return await roster.roster_at(uow.session, institution_id=staff.institution_id, role=role, window=window)
