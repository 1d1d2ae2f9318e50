"""The read model of physicians' accounts, from identity's events."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from applications.adapters.tables import physicians
from applications.domain.register import Physician
from contracts.enums import AccountStatus, PracticeCategory


async def physician_by_id(session: AsyncSession, *, account_id: UUID, for_update: bool = False) -> Physician | None:
    query = select(physicians).where(physicians.c.account_id == account_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).mappings().first()
    if row is None:
        return None
    return Physician(
        account_id=row.account_id,
        real_name=row.real_name,
        id_number_masked=row.id_number_masked,
        account_status=AccountStatus(row.account_status),
        category=PracticeCategory(row.category) if row.category else None,
    )


async def put_physician(
    session: AsyncSession, *, account_id: UUID, real_name: str, id_number_masked: str, account_status: AccountStatus
) -> None:
    """A physician as registered (again: a redelivery or a re-registration keeps the category)."""
    values = {"real_name": real_name, "id_number_masked": id_number_masked, "account_status": account_status}
    stmt = pg_insert(physicians).values(account_id=account_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[physicians.c.account_id], set_=values))


async def set_account_status(session: AsyncSession, *, account_id: UUID, status: AccountStatus) -> None:
    query = update(physicians).where(physicians.c.account_id == account_id).values(account_status=status)
    await session.execute(query)


async def save_physician(session: AsyncSession, *, physician: Physician) -> None:
    """Write back the account's status and category."""
    await session.execute(
        update(physicians)
        .where(physicians.c.account_id == physician.account_id)
        .values(account_status=physician.account_status, category=physician.category)
    )
