"""Reading and writing accounts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import AccountStatus, PracticeCategory, Role
from identity.adapters.tables import accounts
from identity.domain.accounts import Account


async def _one(session: AsyncSession, query: Select[Any]) -> Account | None:
    row = (await session.execute(query)).mappings().first()
    if row is None:
        return None
    values = dict(row)
    values.update(role=Role(row.role), status=AccountStatus(row.status))
    values["category"] = PracticeCategory(row.category) if row.category else None
    return Account(**values)


async def account_by_id(session: AsyncSession, *, account_id: UUID) -> Account | None:
    return await _one(session, select(accounts).where(accounts.c.id == account_id))


async def account_by_login(session: AsyncSession, *, login_name: str) -> Account | None:
    return await _one(session, select(accounts).where(accounts.c.login_name == login_name))


async def login_name_taken(session: AsyncSession, *, login_name: str) -> bool:
    query = select(accounts.c.id).where(accounts.c.login_name == login_name)
    return (await session.execute(query)).first() is not None


async def id_number_taken(session: AsyncSession, *, lookup: bytes) -> bool:
    query = select(accounts.c.id).where(accounts.c.id_number_lookup == lookup)
    return (await session.execute(query)).first() is not None


class AlreadyTaken(Exception):
    """Another account has this login name or ID number (`field` says which)."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field} taken")
        self.field = field


async def add_account(session: AsyncSession, **values: Any) -> None:
    """Raises AlreadyTaken when a concurrent registration won the race for the login name or the ID number."""
    try:
        await session.execute(insert(accounts).values(**values))
    except IntegrityError as error:
        raise AlreadyTaken("id_number" if "id_number" in str(error.orig) else "login_name") from error


async def set_account(session: AsyncSession, *, account_id: UUID, **values: Any) -> None:
    await session.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
