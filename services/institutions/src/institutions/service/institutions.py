"""Use cases of institutions: their records."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.engine import RowMapping

from contracts.institutions.v1 import InstitutionRecorded
from institutions.adapters.tables import institutions
from institutions.domain.rules import credit_code_is_valid
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


async def institution_row(uow: UnitOfWork, institution_id: UUID) -> RowMapping | None:
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
        row = await institution_row(uow, institution_id)
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
