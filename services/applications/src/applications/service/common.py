"""What the use cases of applications share: the business day, loading rows, locks, problems."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Table, func, select
from sqlalchemy.engine import RowMapping

from applications.adapters.tables import applications, physicians, registrations
from applications.domain.preconditions import Refusal
from applications.domain.register import Account, MultiSite, Register
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import AccountStatus, PracticeCategory, RegistrationStatus
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields


def problem_of(refusal: Refusal) -> Problem:
    if refusal.field:
        return invalid_fields((refusal.field, refusal.detail), detail=refusal.detail)
    return Problem(409, refusal.code, refusal.detail, title="The application cannot be filed")


async def one(uow: UnitOfWork, table: Table, key: Any, value: Any, *, for_update: bool = False) -> RowMapping | None:
    query = select(table).where(key == value)
    if for_update:
        query = query.with_for_update()
    return (await uow.session.execute(query)).mappings().first()


async def lock_account(uow: UnitOfWork, account_id: UUID) -> None:
    """Serialise a submission with a register change of the same account (so no stale one slips through)."""
    await uow.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(str(account_id)))))


async def own_for_update(uow: UnitOfWork, account_id: UUID, application_id: UUID) -> RowMapping:
    row = await one(uow, applications, applications.c.id, application_id, for_update=True)
    if row is None or row.account_id != account_id:
        raise Problem(404, "not-found", "No such application of yours.")
    return row


async def account_of(uow: UnitOfWork, account_id: UUID) -> Account | None:
    row = await one(uow, physicians, physicians.c.account_id, account_id)
    if row is None:
        return None
    return Account(
        status=AccountStatus(row.account_status), category=PracticeCategory(row.category) if row.category else None
    )


def register_from(row: RowMapping) -> Register:
    return Register(
        status=RegistrationStatus(row.status),
        main_institution_id=row.main_institution_id,
        filed_on=row.filed_on,
        filing_institution_id=row.filing_institution_id,
        multi_sites=tuple(
            MultiSite(
                filing_id=UUID(m["filing_id"]),
                institution_id=UUID(m["institution_id"]),
                starts_on=date.fromisoformat(m["starts_on"]),
                ends_on=date.fromisoformat(m["ends_on"]),
            )
            for m in row.multi_sites
        ),
    )


async def register_of(uow: UnitOfWork, account_id: UUID) -> Register | None:
    row = await one(uow, registrations, registrations.c.account_id, account_id)
    return register_from(row) if row else None


def details_of(row: RowMapping) -> ApplicationDetails:
    return ApplicationDetails.model_validate(row.details)
