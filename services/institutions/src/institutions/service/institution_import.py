"""The operator's import of institutions from CSV (the command line and `POST /admin/institutions/import`).

An institution is its unified social credit code: a row whose code is not loaded yet creates the institution as
`POST /admin/institutions` does (checked alike, `InstitutionRecorded` through the outbox, `institution.loaded` in
the audit trail); a row whose code is loaded brings that institution up to date (the same event, with its full
record, and `institution.updated`), and one that matches what is loaded changes nothing. So the same file loaded
twice creates nothing the second time. Within a file the last row of a credit code wins.
"""

from __future__ import annotations

from datetime import datetime

from institutions.adapters import institutions as repository
from institutions.domain.audit import AuditAction
from institutions.domain.institutions import Institution, institution_of
from institutions.service.audit import note_all
from institutions.service.institutions import audited, recorded
from regsys_runtime.auth import Principal
from regsys_runtime.csv_import import Column, CsvTable, ImportOutcome, ImportRequest, import_csv
from regsys_runtime.db import UnitOfWork

INSTITUTION_COLUMNS = CsvTable((
    Column("name", ("机构名称", "名称", "name")),
    Column("credit_code", ("统一社会信用代码", "信用代码", "credit_code")),
    Column("licence_number", ("执业许可证登记号", "医疗机构执业许可证登记号", "登记号", "licence_number")),
    Column("region_code", ("行政区划代码", "区划代码", "region_code")),
    Column("level", ("机构级别", "级别", "等级", "level"), required=False),
    Column("address", ("地址", "机构地址", "address"), required=False),
))  # fmt: skip
BATCH = 5_000


async def import_institutions(
    *, uow: UnitOfWork, admin: Principal, client_address: str | None, now: datetime, request: ImportRequest
) -> ImportOutcome:
    """Load the rows of `request` in one transaction; a dry run checks them and writes nothing."""

    async def load(uow: UnitOfWork, batch: list[tuple[int, Institution]]) -> None:
        latest = {institution.credit_code: institution for _, institution in batch}  # the last row of a code wins
        notes = []
        for institution, created in await repository.put_institutions(uow.session, list(latest.values())):
            uow.publish(recorded(institution), subject_id=institution.id)
            action = AuditAction.INSTITUTION_LOADED if created else AuditAction.INSTITUTION_UPDATED
            notes.append((action, institution.id, {**audited(institution), "imported": True}))
        await note_all(uow, admin, client_address, notes, at=now)

    return await import_csv(
        uow=uow, request=request, table=INSTITUTION_COLUMNS, check=institution_of, load=load, batch_size=BATCH
    )
