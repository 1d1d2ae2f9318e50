"""Use cases of institutions: their records."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from datetime import datetime
from uuid import UUID

from contracts.institutions.v1 import InstitutionRecorded
from institutions.adapters import institutions as repository
from institutions.domain.audit import AuditAction
from institutions.domain.institutions import Institution, InstitutionExists, checked
from institutions.service.audit import note
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, NotFound


def recorded(institution: Institution) -> InstitutionRecorded:
    return InstitutionRecorded(
        institution_id=institution.id,
        name=institution.name,
        credit_code=institution.credit_code,
        licence_number=institution.licence_number,
        region_code=institution.region_code,
        level=institution.level,
        address=institution.address,
        auto_activation=institution.auto_activation,
    )


def audited(institution: Institution) -> dict[str, str]:
    """What the audit trail keeps of an institution loaded or changed."""
    return {"name": institution.name, "credit_code": institution.credit_code, "region_code": institution.region_code}


async def register_institution(
    *,
    uow: UnitOfWork,
    admin: Principal,
    client_address: str | None,
    now: datetime,
    name: str,
    credit_code: str,
    licence_number: str,
    region_code: str,
    level: str | None = None,
    address: str | None = None,
    auto_activation: bool = False,
) -> Institution:
    """Load an institution once: a second with the same credit code, even at the same moment, is refused."""
    institution = checked(Institution(
        id=uuid.uuid4(), name=name, credit_code=credit_code, licence_number=licence_number, region_code=region_code,
        level=level, address=address, auto_activation=auto_activation,
    ))  # fmt: skip
    async with uow:
        if not await repository.add_institution(uow.session, institution):
            raise InstitutionExists()
        uow.publish(recorded(institution), subject_id=institution.id)
        await note(
            uow, admin, client_address, AuditAction.INSTITUTION_LOADED, at=now, institution_id=institution.id,
            subject_id=institution.id, **audited(institution),
        )  # fmt: skip
        await uow.commit()
    return institution


async def edit_institution(
    *, uow: UnitOfWork, admin: Principal, client_address: str | None, now: datetime, institution_id: UUID,
    name: str, licence_number: str, region_code: str, level: str | None, address: str | None,
) -> Institution:  # fmt: skip
    """Correct an institution's record; the services that keep its name and region hear of it."""
    async with uow:
        before = await repository.institution_by_id(uow.session, institution_id, lock=True)
        if before is None:
            raise NotFound(Message("No such institution.", zh="没有这家机构。"))
        corrected = replace(
            before, name=name, licence_number=licence_number, region_code=region_code, level=level, address=address
        )
        after = checked(corrected)
        changed = {name: value for name, value in asdict(after).items() if getattr(before, name) != value}
        if changed:
            await repository.set_institution(uow.session, after)
            uow.publish(recorded(after), subject_id=after.id)
            await note(
                uow, admin, client_address, AuditAction.INSTITUTION_EDITED, at=now, institution_id=after.id,
                subject_id=after.id, **changed,
            )  # fmt: skip
            await uow.commit()
    return after


async def list_institutions(*, uow: UnitOfWork, region_code: str | None) -> list[Institution]:
    async with uow:
        return await repository.institutions_in(uow.session, region_code=region_code)
