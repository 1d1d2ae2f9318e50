"""Looking up registrations: the physician's own, and a physician's history for officers of their region."""

from __future__ import annotations

from uuid import UUID

from contracts import regions
from licensing.adapters import register
from licensing.domain.physicians import PhysicianFound, PhysicianWanted
from licensing.domain.register import HistoryEntry, RegisterEntry
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, NotFound

LOOKUP_LIMIT = 50


class NotRegistered(NotFound):
    def __init__(self) -> None:
        super().__init__(
            Message("There is no practice registration for this physician yet.", zh="该医师还没有执业注册信息。"),
            code="not-registered",
        )


class NotOfYourRegion(NotFound):
    def __init__(self) -> None:
        super().__init__(Message("No physician of your region with this id.", zh="本辖区没有这个编号的医师。"))


async def registration_of(*, uow: UnitOfWork, account_id: UUID) -> RegisterEntry:
    """The physician's registration (NotRegistered if there is none yet)."""
    async with uow:
        entry = await register.entry(uow.session, account_id=account_id)
    if entry is None:
        raise NotRegistered()
    return entry


async def history_of(*, uow: UnitOfWork, account_id: UUID) -> list[HistoryEntry]:
    """Every change of the physician's registration, oldest first."""
    async with uow:
        return await register.history(uow.session, account_id=account_id)


def region_prefix(officer: Principal) -> str | None:
    """What the codes of the regions the officer decides for start with (None: no region, nothing to see)."""
    return regions.prefix_of(officer.region_code)


async def officer_may_look_up(*, uow: UnitOfWork, officer: Principal, account_id: UUID) -> None:
    """An officer sees physicians practising in their region (or below), or with an application that reached
    the region's authority; never for an application still with the institution or rejected by it."""
    prefix = region_prefix(officer)
    async with uow:
        seen = prefix is not None and await register.seen_in_region(
            uow.session, account_id=account_id, region_prefix=prefix
        )
    if not seen:
        raise NotOfYourRegion()


async def find_physicians(
    *, uow: UnitOfWork, officer: Principal, wanted: PhysicianWanted, limit: int = LOOKUP_LIMIT
) -> list[PhysicianFound]:
    """Physicians of the officer's region matching the search (by name, certificate number, ID number)."""
    prefix = region_prefix(officer)
    if prefix is None:
        return []
    async with uow:
        return await register.find_in_region(uow.session, region_prefix=prefix, wanted=wanted, limit=limit)


async def registration_for_officer(*, uow: UnitOfWork, officer: Principal, account_id: UUID) -> RegisterEntry:
    await officer_may_look_up(uow=uow, officer=officer, account_id=account_id)
    return await registration_of(uow=uow, account_id=account_id)


async def history_for_officer(*, uow: UnitOfWork, officer: Principal, account_id: UUID) -> list[HistoryEntry]:
    await officer_may_look_up(uow=uow, officer=officer, account_id=account_id)
    return await history_of(uow=uow, account_id=account_id)
