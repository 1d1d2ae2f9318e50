"""Reading and writing accounts, the registry and signing keys."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from identity.adapters.tables import accounts, qualifications, signing_keys


async def account_by_id(session: AsyncSession, account_id: UUID) -> RowMapping | None:
    return (await session.execute(select(accounts).where(accounts.c.id == account_id))).mappings().first()


async def account_by_login(session: AsyncSession, login_name: str) -> RowMapping | None:
    query = select(accounts).where(accounts.c.login_name == login_name)
    return (await session.execute(query)).mappings().first()


async def login_name_taken(session: AsyncSession, login_name: str) -> bool:
    return await account_by_login(session, login_name) is not None


async def id_number_taken(session: AsyncSession, lookup: bytes) -> bool:
    query = select(accounts.c.id).where(accounts.c.id_number_lookup == lookup)
    return (await session.execute(query)).first() is not None


async def add_account(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(insert(accounts).values(**values))


async def set_account(session: AsyncSession, account_id: UUID, **values: Any) -> None:
    await session.execute(update(accounts).where(accounts.c.id == account_id).values(**values))


async def qualification_for(session: AsyncSession, lookup: bytes) -> RowMapping | None:
    query = select(qualifications).where(qualifications.c.id_number_lookup == lookup)
    return (await session.execute(query)).mappings().first()


async def put_qualification(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = pg_insert(qualifications).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[qualifications.c.id_number_lookup],
            set_={k: stmt.excluded[k] for k in values if k != "id_number_lookup"},
        )
    )


async def active_signing_key(session: AsyncSession) -> RowMapping | None:
    query = select(signing_keys).where(signing_keys.c.active).order_by(signing_keys.c.created_at.desc())
    return (await session.execute(query)).mappings().first()


async def published_keys(session: AsyncSession) -> list[dict[str, Any]]:
    return [row.public_jwk for row in (await session.execute(select(signing_keys.c.public_jwk))).all()]


async def add_signing_key(session: AsyncSession, row: dict[str, Any]) -> None:
    await session.execute(insert(signing_keys).values(**row))
