"""Use cases of institutions: records, activation, review tasks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from contracts.enums import ActivationMethod
from contracts.identity.v1 import ActivationRequested
from contracts.institutions.v1 import ActivationGranted, InstitutionRecorded
from institutions.adapters.tables import activation_requests, institutions
from institutions.domain.rules import credit_code_is_valid
from regsys_runtime.auth import Principal, forbidden
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields


def recorded(row: RowMapping) -> InstitutionRecorded:
    return InstitutionRecorded(
        institution_id=row.id,
        name=row.name,
        credit_code=row.credit_code,
        licence_number=row.licence_number,
        region_code=row.region_code,
        level=row.level,
        address=row.address,
        auto_activation=row.auto_activation,
    )


async def _institution(uow: UnitOfWork, institution_id: UUID) -> RowMapping | None:
    query = select(institutions).where(institutions.c.id == institution_id)
    return (await uow.session.execute(query)).mappings().first()


async def register_institution(*, uow: UnitOfWork, values: dict[str, Any]) -> UUID:
    if not credit_code_is_valid(values["credit_code"]):
        raise invalid_fields(("credit_code", "Not a valid unified social credit code (check character wrong?)."))
    async with uow:
        taken = select(institutions.c.id).where(institutions.c.credit_code == values["credit_code"])
        if (await uow.session.execute(taken)).first():
            raise Problem(409, "institution-exists", "An institution with this credit code is already loaded.")
        institution_id = uuid.uuid4()
        await uow.session.execute(insert(institutions).values(id=institution_id, **values))
        row = await _institution(uow, institution_id)
        assert row is not None
        uow.publish(recorded(row), subject_id=institution_id)
        await uow.commit()
    return institution_id


async def list_institutions(*, uow: UnitOfWork, region_code: str | None) -> list[RowMapping]:
    query = select(institutions).order_by(institutions.c.name)
    if region_code:
        query = query.where(institutions.c.region_code == region_code)
    async with uow:
        return list((await uow.session.execute(query)).mappings().all())


async def set_auto_activation(*, uow: UnitOfWork, staff: Principal, institution_id: UUID, enabled: bool) -> None:
    if staff.institution_id != institution_id:
        raise forbidden("You can change only your own institution.")
    async with uow:
        await uow.session.execute(
            update(institutions).where(institutions.c.id == institution_id).values(auto_activation=enabled)
        )
        row = await _institution(uow, institution_id)
        if row is None:
            raise Problem(404, "not-found", "No such institution.")
        uow.publish(recorded(row), subject_id=institution_id)
        await uow.commit()


async def receive_activation_request(*, uow: UnitOfWork, event: ActivationRequested, at: datetime) -> None:
    institution = await _institution(uow, event.institution_id)
    automatic = institution is not None and institution.auto_activation
    await uow.session.execute(
        pg_insert(activation_requests)
        .values(
            account_id=event.account_id,
            institution_id=event.institution_id,
            real_name=event.real_name,
            id_number_masked=event.id_number_masked,
            status="granted" if automatic else "pending",
            requested_at=at,
        )
        .on_conflict_do_nothing()
    )
    if automatic:
        uow.publish(
            ActivationGranted(
                account_id=event.account_id, institution_id=event.institution_id, method=ActivationMethod.AUTOMATIC
            ),
            subject_id=event.account_id,
        )
