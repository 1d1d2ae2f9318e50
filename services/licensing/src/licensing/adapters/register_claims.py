"""Registrations imported from the previous system, waiting for their physician's account, and the hand-over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, Text, cast, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from licensing.adapters.tables import multi_site_filings, register_claims, registration_history, registrations


@dataclass(frozen=True)
class WaitingRegistration:
    """An imported registration no account holds yet: kept under `placeholder`, for the physician whose
    qualification check matched `qualification_code` with the ID number masked as `id_number_masked`."""

    placeholder: UUID
    certificate_number: str
    id_number_masked: str


async def waiting(session: AsyncSession, *, qualification_code: str) -> WaitingRegistration | None:
    """The imported registration waiting for the holder of this qualification certificate code (locked), or None."""
    query = select(register_claims).where(
        register_claims.c.qualification_code == qualification_code, register_claims.c.claimed_by.is_(None)
    )
    row = (await session.execute(query.with_for_update())).first()
    return WaitingRegistration(row.account_id, row.certificate_number, row.id_number_masked) if row else None


async def hand_over(session: AsyncSession, *, placeholder: UUID, account_id: UUID, now: datetime) -> None:
    """The registration kept under `placeholder`, its filings and its history become the account's."""
    for table in (registrations, multi_site_filings):
        await session.execute(update(table).where(table.c.account_id == placeholder).values(account_id=account_id))
    owner = func.to_jsonb(cast(literal(str(account_id)), Text))
    path = cast(literal(["account_id"]), ARRAY(Text))
    await session.execute(
        update(registration_history)
        .where(registration_history.c.account_id == placeholder)
        .values(account_id=account_id, snapshot=func.jsonb_set(registration_history.c.snapshot, path, owner))
    )
    await session.execute(
        update(register_claims)
        .where(register_claims.c.account_id == placeholder)
        .values(claimed_by=account_id, claimed_at=now)
    )


def unclaimed_accounts() -> Select[tuple[UUID]]:
    """The placeholders of imported registrations no account holds yet (no job acts on them until one does)."""
    return select(register_claims.c.account_id).where(register_claims.c.claimed_by.is_(None))
