"""Reading and writing licences and their holders' register snapshots."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import LicenceStatus
from licensing.adapters.tables import (
    applications,
    institutions,
    licence_holders,
    licence_status_index,
    licence_status_version,
    licences,
)

CURRENT = (LicenceStatus.VALID.value, LicenceStatus.SUSPENDED.value)


async def holder_register(session: AsyncSession, account_id: UUID, *, lock: bool = False) -> dict[str, Any] | None:
    query = select(licence_holders.c.register).where(licence_holders.c.account_id == account_id)
    if lock:
        query = query.with_for_update()
    register: dict[str, Any] | None = await session.scalar(query)
    return register


async def remember_register(session: AsyncSession, account_id: UUID, register: dict[str, Any], now: datetime) -> None:
    values = {"register": register, "updated_at": now}
    stmt = pg_insert(licence_holders).values(account_id=account_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[licence_holders.c.account_id], set_=values))


async def person(session: AsyncSession, account_id: UUID) -> tuple[str, str] | None:
    """The physician's name and masked ID number, as their applications carried them."""
    query = select(applications.c.physician_name, applications.c.id_number_masked).where(
        applications.c.account_id == account_id
    )
    row = (await session.execute(query.limit(1))).first()
    return (row.physician_name, row.id_number_masked) if row else None


async def institution_names(session: AsyncSession, ids: Iterable[UUID]) -> dict[UUID, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(institutions.c.id, institutions.c.name).where(institutions.c.id.in_(wanted)))
    return {row.id: row.name for row in rows}


async def current_licence(session: AsyncSession, account_id: UUID, *, lock: bool = False) -> RowMapping | None:
    query = select(licences).where(licences.c.account_id == account_id, licences.c.status.in_(CURRENT))
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).mappings().first()


async def latest_licence(session: AsyncSession, account_id: UUID) -> RowMapping | None:
    query = select(licences).where(licences.c.account_id == account_id).order_by(licences.c.edition.desc()).limit(1)
    return (await session.execute(query)).mappings().first()


async def next_edition(session: AsyncSession, account_id: UUID) -> int:
    highest = await session.scalar(select(func.max(licences.c.edition)).where(licences.c.account_id == account_id))
    return int(highest or 0) + 1


async def count_issued(session: AsyncSession) -> int:
    """How many licences have been issued (a counter, so that no table is counted on each issue)."""
    return int(await session.scalar(licence_status_index.next_value()) or 0) + 1


async def add_licence(session: AsyncSession, row: dict[str, Any]) -> bool:
    """Insert a licence; False if its status index is taken (pick another), other conflicts raise."""
    stmt = pg_insert(licences).values(**row).on_conflict_do_nothing(index_elements=[licences.c.status_index])
    return (await session.execute(stmt.returning(licences.c.id))).first() is not None


async def set_status(
    session: AsyncSession,
    licence_id: UUID,
    *,
    status: LicenceStatus,
    reason: str,
    now: datetime,
    superseded_by: UUID | None = None,
) -> None:
    values: dict[str, Any] = {
        "status": status.value,
        "status_reason": reason,
        "status_changed_at": now,
        "status_version": licence_status_version.next_value(),
    }
    if superseded_by is not None:
        values["superseded_by"] = superseded_by
    await session.execute(update(licences).where(licences.c.id == licence_id).values(**values))


_successor = licences.alias("successor")
_STATUS_OF = (
    select(
        licences.c.number,
        licences.c.status,
        licences.c.status_reason,
        licences.c.status_changed_at,
        licences.c.expires_at,
        _successor.c.number.label("superseded_by_number"),
    )
    .outerjoin(_successor, _successor.c.id == licences.c.superseded_by)
    .where(licences.c.id == bindparam("licence_id"))
)  # built once: verification is the public hot path


async def status_of(session: AsyncSession, licence_id: UUID) -> RowMapping | None:
    """What a verifier needs of one licence: its status, why, since when, and its successor's number."""
    return (await session.execute(_STATUS_OF, {"licence_id": licence_id})).mappings().first()


async def by_numbers(session: AsyncSession, numbers: Sequence[str]) -> list[RowMapping]:
    query = select(licences).where(licences.c.number.in_(set(numbers)))
    return list((await session.execute(query)).mappings().all())


async def set_indexes(session: AsyncSession, statuses: Sequence[LicenceStatus]) -> tuple[list[int], int | None]:
    """The status indexes of licences in `statuses`, and the highest index given out so far."""
    rows = await session.execute(
        select(licences.c.status_index).where(licences.c.status.in_([s.value for s in statuses]))
    )
    highest = await session.scalar(select(func.max(licences.c.status_index)))
    return [row.status_index for row in rows], highest


async def by_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, RowMapping]:
    if not ids:
        return {}
    rows = (await session.execute(select(licences).where(licences.c.id.in_(set(ids))))).mappings().all()
    return {row.id: row for row in rows}


async def status_version(session: AsyncSession) -> int:
    """A number that grows whenever any licence is issued or changes status: the status lists' version."""
    return int(await session.scalar(select(func.max(licences.c.status_version))) or 0)
