"""The qualification registry as the operator loads it: one entry (`POST /admin/qualifications`), or a CSV file
(`import-qualifications`, `POST /admin/qualifications/import`), an entry per ID number, the last one loaded winning."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from identity.adapters import qualifications, registry_import
from identity.adapters.secrets import IdNumberVault
from identity.bootstrap import Dependencies
from identity.domain.audit import OperatorAction
from identity.domain.registry import RegistryEntry, qualification_of
from identity.domain.rules import RuleViolation
from identity.service import audit
from identity.service.refusals import invalid
from regsys_runtime.audit import Actor
from regsys_runtime.csv_import import Column, CsvTable, ImportOutcome, ImportRequest, import_csv
from regsys_runtime.db import UnitOfWork

REGISTRY_COLUMNS = CsvTable((
    Column("real_name", ("姓名", "real_name")),
    Column("id_number", ("身份证号", "身份证号码", "公民身份号码", "id_number")),
    Column("certificate_code", ("资格证书编码", "医师资格证书编码", "证书编码", "certificate_code")),
    Column("category", ("资格类别", "类别", "category")),
    Column("qualified_on", ("取得资格日期", "资格取得日期", "qualified_on"), required=False),
))  # fmt: skip
BATCH = 20_000


def registry_entry(vault: IdNumberVault, row: Mapping[str, str]) -> RegistryEntry:
    """The entry of one registry row as identity keeps it (the ID number only as its lookup hash)."""
    try:
        qualification = qualification_of(dict(row))
    except RuleViolation as violation:
        raise invalid(violation) from None
    return RegistryEntry(
        id_number_lookup=vault.lookup(qualification.id_number),
        real_name=qualification.real_name,
        certificate_code=qualification.certificate_code,
        category=qualification.category,
        qualified_on=qualification.qualified_on,
    )


async def load_qualification(*, deps: Dependencies, actor: Actor, row: dict[str, str], now: datetime) -> None:
    entry = registry_entry(deps.vault, row)
    async with deps.uow() as uow:
        await qualifications.put_qualification(uow.session, entry=entry)
        await audit.note(
            uow, actor, OperatorAction.QUALIFICATION_ADDED, at=now, subject_id=None,
            certificate_code=entry.certificate_code,
        )  # fmt: skip
        await uow.commit()


async def import_qualifications(*, uow: UnitOfWork, vault: IdNumberVault, request: ImportRequest) -> ImportOutcome:
    """Load the registry rows of `request` in one transaction; a dry run checks them and writes nothing."""
    return await import_csv(
        uow=uow, request=request, table=REGISTRY_COLUMNS, check=lambda row: registry_entry(vault, row),
        load=lambda uow, batch: registry_import.merge_into_registry(uow.session, batch), batch_size=BATCH,
    )  # fmt: skip
