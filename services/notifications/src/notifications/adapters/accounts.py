"""The account read model, kept from identity's events: whom to tell, and how to reach them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import Role
from notifications.adapters.tables import accounts
from notifications.domain.recipients import Contact


async def remember_account(
    session: AsyncSession, *, contact: Contact, institution_id: UUID | None, region_code: str | None, at: datetime
) -> None:
    """Record a registered account (again is fine: the latest registration is kept)."""
    values = {
        "role": contact.role.value,
        "real_name": contact.real_name,
        "phone": contact.phone,
        "email": contact.email,
        "institution_id": institution_id,
        "region_code": region_code,
        "updated_at": at,
    }
    insert = pg_insert(accounts).values(account_id=contact.account_id, **values)
    await session.execute(insert.on_conflict_do_update(index_elements=[accounts.c.account_id], set_=values))


async def change_contact(
    session: AsyncSession,
    *,
    account_id: UUID,
    at: datetime,
    phone: str | None = None,
    email: str | None = None,
    disabled: bool | None = None,
) -> None:
    """Record a new phone or e-mail, or that the account is disabled; what is not given stays as it was."""
    changes: dict[str, Any] = {"phone": phone, "email": email, "disabled": disabled}
    values = {name: value for name, value in changes.items() if value is not None}
    await session.execute(update(accounts).where(accounts.c.account_id == account_id).values(updated_at=at, **values))


async def contact_of(session: AsyncSession, *, account_id: UUID) -> Contact | None:
    row = (await session.execute(select(accounts).where(accounts.c.account_id == account_id))).first()
    return _contact(row) if row else None


async def staff_of(session: AsyncSession, *, institution_ids: Iterable[UUID]) -> list[Contact]:
    """The staff of the institutions whose accounts are not disabled."""
    query = select(accounts).where(
        accounts.c.role == Role.INSTITUTION_STAFF.value,
        accounts.c.institution_id.in_(list(institution_ids)),
        accounts.c.disabled.is_(False),
    )
    return [_contact(r) for r in (await session.execute(query.order_by(accounts.c.account_id))).all()]


async def officers_of(session: AsyncSession, *, region_code: str) -> list[Contact]:
    """The officers of the region whose accounts are not disabled."""
    query = select(accounts).where(
        accounts.c.role == Role.OFFICER.value, accounts.c.region_code == region_code, accounts.c.disabled.is_(False)
    )
    return [_contact(r) for r in (await session.execute(query.order_by(accounts.c.account_id))).all()]


def _contact(row: Any) -> Contact:
    return Contact(
        account_id=row.account_id, role=Role(row.role), real_name=row.real_name, phone=row.phone, email=row.email
    )
