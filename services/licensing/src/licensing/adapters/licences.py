"""Reading and writing licences, their places in the status lists, and their holders' register snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import LicenceStatus
from contracts.licensing.v1 import RegistrationChanged
from licensing.adapters.tables import licence_holders, licence_status_index, licence_status_version, licences
from licensing.domain.licence import CURRENT, Licence, Standing

_CURRENT = [s.value for s in CURRENT]


def _licence_of(row: Any) -> Licence:
    return Licence(
        id=row.id,
        number=row.number,
        account_id=row.account_id,
        edition=row.edition,
        certificate_number=row.certificate_number,
        status=LicenceStatus(row.status),
        status_reason=row.status_reason,
        status_index=row.status_index,
        kid=row.kid,
        document=row.document,
        content=row.content,
        shown=row.shown,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        status_changed_at=row.status_changed_at,
        superseded_by=row.superseded_by,
        credential=row.credential,
    )


async def holder_register(session: AsyncSession, *, account_id: UUID, lock: bool = False) -> RegistrationChanged | None:
    """The register as it last changed for the physician (locked against other claims when `lock`), or None."""
    query = select(licence_holders.c.register).where(licence_holders.c.account_id == account_id)
    register = await session.scalar(query.with_for_update() if lock else query)
    return RegistrationChanged.model_validate(register) if register is not None else None


async def remember_register(session: AsyncSession, *, change: RegistrationChanged, now: datetime) -> None:
    values = {"register": change.model_dump(mode="json"), "updated_at": now}
    stmt = pg_insert(licence_holders).values(account_id=change.account_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[licence_holders.c.account_id], set_=values))


async def current(session: AsyncSession, *, account_id: UUID, lock: bool = False) -> Licence | None:
    """The physician's valid or suspended licence, or None."""
    query = select(licences).where(licences.c.account_id == account_id, licences.c.status.in_(_CURRENT))
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return _licence_of(row) if row else None


async def latest(session: AsyncSession, *, account_id: UUID) -> Licence | None:
    query = select(licences).where(licences.c.account_id == account_id).order_by(licences.c.edition.desc()).limit(1)
    row = (await session.execute(query)).first()
    return _licence_of(row) if row else None


async def next_edition(session: AsyncSession, *, account_id: UUID) -> int:
    highest = await session.scalar(select(func.max(licences.c.edition)).where(licences.c.account_id == account_id))
    return int(highest or 0) + 1


async def count_issued(session: AsyncSession) -> int:
    """How many licences have been issued (a counter, so that no table is counted on each issue)."""
    return int(await session.scalar(licence_status_index.next_value()) or 0) + 1


async def add(session: AsyncSession, licence: Licence) -> bool:
    """Insert a licence; False if its status index is taken (pick another), other conflicts raise."""
    values = {
        "id": licence.id,
        "number": licence.number,
        "account_id": licence.account_id,
        "edition": licence.edition,
        "certificate_number": licence.certificate_number,
        "status": licence.status.value,
        "status_reason": licence.status_reason,
        "status_index": licence.status_index,
        "kid": licence.kid,
        "document": licence.document,
        "credential": licence.credential,
        "content": dict(licence.content),
        "shown": dict(licence.shown),
        "issued_at": licence.issued_at,
        "expires_at": licence.expires_at,
        "status_changed_at": licence.status_changed_at,
    }
    stmt = pg_insert(licences).values(**values).on_conflict_do_nothing(index_elements=[licences.c.status_index])
    return (await session.execute(stmt.returning(licences.c.id))).first() is not None


async def set_status(
    session: AsyncSession,
    *,
    licence_id: UUID,
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
_STANDING = (
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


async def standing(session: AsyncSession, *, licence_id: UUID) -> Standing | None:
    """What a verifier needs of one licence: its status, why, since when, and its successor's number."""
    row = (await session.execute(_STANDING, {"licence_id": licence_id})).first()
    if row is None:
        return None
    return Standing(
        number=row.number,
        status=LicenceStatus(row.status),
        status_reason=row.status_reason,
        status_changed_at=row.status_changed_at,
        expires_at=row.expires_at,
        superseded_by_number=row.superseded_by_number,
    )


async def by_numbers(session: AsyncSession, *, numbers: Sequence[str]) -> list[Licence]:
    rows = await session.execute(select(licences).where(licences.c.number.in_(set(numbers))))
    return [_licence_of(row) for row in rows]


async def by_ids(session: AsyncSession, *, ids: Sequence[UUID]) -> dict[UUID, Licence]:
    if not ids:
        return {}
    rows = await session.execute(select(licences).where(licences.c.id.in_(set(ids))))
    return {row.id: _licence_of(row) for row in rows}


async def set_indexes(session: AsyncSession, *, statuses: Sequence[LicenceStatus]) -> tuple[list[int], int | None]:
    """The status indexes of licences in `statuses`, and the highest index given out so far."""
    rows = await session.execute(
        select(licences.c.status_index).where(licences.c.status.in_([s.value for s in statuses]))
    )
    highest = await session.scalar(select(func.max(licences.c.status_index)))
    return [row.status_index for row in rows], highest


async def status_version(session: AsyncSession) -> int:
    """A number that grows whenever any licence is issued or changes status: the status lists' version."""
    return int(await session.scalar(select(func.max(licences.c.status_version))) or 0)
