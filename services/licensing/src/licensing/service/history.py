"""Looking up registrations: the physician's own, and a physician's history for officers of their region."""

from __future__ import annotations

from uuid import UUID

from licensing.adapters import register
from licensing.domain.register import HistoryEntry, RegisterEntry
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import NotFound


class NotRegistered(NotFound):
    def __init__(self) -> None:
        super().__init__("There is no practice registration for this physician yet.", code="not-registered")


class NotOfYourRegion(NotFound):
    def __init__(self) -> None:
        super().__init__("No physician of your region with this id.")


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


async def officer_may_look_up(*, uow: UnitOfWork, officer: Principal, account_id: UUID) -> None:
    """An officer sees physicians practising in their region, or with an application decided there."""
    async with uow:
        seen = await register.seen_in_region(uow.session, account_id=account_id, region_code=officer.region_code)
    if not seen:
        raise NotOfYourRegion()


async def registration_for_officer(*, uow: UnitOfWork, officer: Principal, account_id: UUID) -> RegisterEntry:
    await officer_may_look_up(uow=uow, officer=officer, account_id=account_id)
    return await registration_of(uow=uow, account_id=account_id)


async def history_for_officer(*, uow: UnitOfWork, officer: Principal, account_id: UUID) -> list[HistoryEntry]:
    await officer_may_look_up(uow=uow, officer=officer, account_id=account_id)
    return await history_of(uow=uow, account_id=account_id)
