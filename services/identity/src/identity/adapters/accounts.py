"""Reading and writing accounts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import AccountStatus, PracticeCategory, Role
from identity.adapters.tables import accounts
from identity.domain.accounts import Account, AccountFilter
from regsys_runtime.db import containing
from regsys_runtime.paging import Page, Window


async def _one(session: AsyncSession, query: Select[Any]) -> Account | None:
    row = (await session.execute(query)).mappings().first()
    return _account(row) if row is not None else None


def _account(row: RowMapping) -> Account:
    values = dict(row)
    values.update(role=Role(row.role), status=AccountStatus(row.status))
    values["category"] = PracticeCategory(row.category) if row.category else None
    before = row.status_before_disabled
    values["status_before_disabled"] = AccountStatus(before) if before else None
    return Account(**values)


async def account_by_id(session: AsyncSession, *, account_id: UUID) -> Account | None:
    return await _one(session, select(accounts).where(accounts.c.id == account_id))


def _login_is(login_name: str) -> ColumnElement[bool]:
    """Login names compare without regard to case (`abc` and `ABC` are one name), as their unique index does."""
    return func.lower(accounts.c.login_name) == func.lower(login_name)


async def accounts_listed(session: AsyncSession, *, wanted: AccountFilter, window: Window) -> Page[Account]:
    """One window of the accounts that match, newest first, and how many match in all."""
    where = []
    if wanted.role is not None:
        where.append(accounts.c.role == wanted.role.value)
    if wanted.status is not None:
        where.append(accounts.c.status == wanted.status.value)
    if wanted.search:
        names = (accounts.c.login_name, accounts.c.real_name)
        where.append(or_(*(containing(name, wanted.search) for name in names)))
    total = await session.scalar(select(func.count()).select_from(accounts).where(*where))
    listed = select(accounts).where(*where).order_by(accounts.c.created_at.desc(), accounts.c.id)
    rows = (await session.execute(listed.limit(window.limit).offset(window.offset))).mappings()
    return Page([_account(row) for row in rows], int(total or 0))


async def account_by_login(session: AsyncSession, *, login_name: str) -> Account | None:
    return await _one(session, select(accounts).where(_login_is(login_name)))


async def login_name_taken(session: AsyncSession, *, login_name: str) -> bool:
    query = select(accounts.c.id).where(_login_is(login_name))
    return (await session.execute(query)).first() is not None


async def phone_verified_elsewhere(session: AsyncSession, *, phone: str, account_id: UUID | None = None) -> bool:
    """Whether another account that is not disabled has proven this phone is its own."""
    query = select(accounts.c.id).where(
        accounts.c.phone == phone,
        accounts.c.phone_verified_at.is_not(None),
        accounts.c.status != AccountStatus.DISABLED.value,
    )
    if account_id is not None:
        query = query.where(accounts.c.id != account_id)
    return (await session.execute(query)).first() is not None


async def id_number_taken(session: AsyncSession, *, lookup: bytes) -> bool:
    query = select(accounts.c.id).where(accounts.c.id_number_lookup == lookup)
    return (await session.execute(query)).first() is not None


class AlreadyTaken(Exception):
    """Another account has this login name, ID number or verified phone (`field` says which)."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field} taken")
        self.field = field


def _taken(error: IntegrityError) -> AlreadyTaken:
    reason = str(error.orig)
    field = next((f for f in ("id_number", "phone") if f in reason), "login_name")
    return AlreadyTaken(field)


async def add_account(session: AsyncSession, **values: Any) -> None:
    """Raises AlreadyTaken when a concurrent registration won the race for the login name or the ID number."""
    try:
        await session.execute(insert(accounts).values(**values))
    except IntegrityError as error:
        raise _taken(error) from error


async def set_account(session: AsyncSession, *, account_id: UUID, **values: Any) -> None:
    """Raises AlreadyTaken when another account verified the same phone meanwhile."""
    try:
        await session.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
    except IntegrityError as error:
        raise _taken(error) from error
