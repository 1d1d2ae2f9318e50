"""Whom to tell: read models of accounts and practice registrations, kept from other services' events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from contracts.enums import Role
from contracts.identity.v1 import AccountRegistered
from contracts.licensing.v1 import RegistrationChanged
from notifications.adapters.tables import accounts, registrations
from regsys_runtime.db import UnitOfWork


@dataclass(frozen=True)
class Contact:
    account_id: UUID
    role: Role
    real_name: str
    phone: str | None
    email: str | None


async def remember_account(*, uow: UnitOfWork, event: AccountRegistered, at: datetime) -> None:
    values = {
        "role": event.role.value,
        "real_name": event.real_name,
        "phone": event.phone,
        "email": str(event.email) if event.email else None,
        "institution_id": event.institution_id,
        "region_code": event.region_code,
        "updated_at": at,
    }
    insert = pg_insert(accounts).values(account_id=event.account_id, **values)
    await uow.session.execute(insert.on_conflict_do_update(index_elements=[accounts.c.account_id], set_=values))


async def change_contact(*, uow: UnitOfWork, account_id: UUID, at: datetime, **contact: Any) -> None:
    """Record a new phone or e-mail (or that the account is disabled)."""
    await uow.session.execute(
        update(accounts).where(accounts.c.account_id == account_id).values(updated_at=at, **contact)
    )


async def contact_of(*, uow: UnitOfWork, account_id: UUID) -> Contact | None:
    row = (await uow.session.execute(select(accounts).where(accounts.c.account_id == account_id))).first()
    return _contact(row) if row else None


async def staff_of(*, uow: UnitOfWork, institution_ids: Iterable[UUID]) -> list[Contact]:
    query = select(accounts).where(
        accounts.c.role == Role.INSTITUTION_STAFF.value,
        accounts.c.institution_id.in_(list(institution_ids)),
        accounts.c.disabled.is_(False),
    )
    return [_contact(r) for r in (await uow.session.execute(query.order_by(accounts.c.account_id))).all()]


async def officers_of(*, uow: UnitOfWork, region_code: str) -> list[Contact]:
    query = select(accounts).where(
        accounts.c.role == Role.OFFICER.value, accounts.c.region_code == region_code, accounts.c.disabled.is_(False)
    )
    return [_contact(r) for r in (await uow.session.execute(query.order_by(accounts.c.account_id))).all()]


async def remember_registration(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    values = {
        "certificate_number": event.certificate_number,
        "status": event.status.value,
        "institution_ids": [event.main_institution_id, *(m.institution_id for m in event.multi_sites)],
        "changed_at": event.changed_at,
    }
    insert = pg_insert(registrations).values(account_id=event.account_id, **values)
    await uow.session.execute(
        insert.on_conflict_do_update(
            index_elements=[registrations.c.account_id],
            set_=values,
            where=registrations.c.changed_at <= event.changed_at,  # an older snapshot never replaces a newer one
        )
    )


async def roster_institutions(*, uow: UnitOfWork, account_id: UUID) -> list[UUID]:
    """The institutions where the physician practises (main and multi-site), as last known."""
    query = select(registrations.c.institution_ids).where(registrations.c.account_id == account_id)
    return list((await uow.session.execute(query)).scalar_one_or_none() or [])


def _contact(row: Any) -> Contact:
    return Contact(
        account_id=row.account_id, role=Role(row.role), real_name=row.real_name, phone=row.phone, email=row.email
    )
