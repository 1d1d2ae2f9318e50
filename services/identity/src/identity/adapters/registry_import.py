"""Bulk load of the qualification registry: rows are checked, streamed by COPY into a staging table and merged
into the registry in one transaction, so a failed import leaves the registry as it was."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import asyncpg

from identity.adapters.secrets import IdNumberVault
from identity.domain.registry import COLUMNS, qualification_of
from identity.domain.rules import RuleViolation

BATCH = 20_000

_MERGE = """
INSERT INTO identity.qualifications (id_number_lookup, real_name, certificate_code, category, qualified_on)
SELECT DISTINCT ON (id_number_lookup) id_number_lookup, real_name, certificate_code, category, qualified_on
FROM identity.{staging} ORDER BY id_number_lookup, line DESC
ON CONFLICT (id_number_lookup) DO UPDATE SET real_name = EXCLUDED.real_name,
    certificate_code = EXCLUDED.certificate_code, category = EXCLUDED.category, qualified_on = EXCLUDED.qualified_on
"""
# a staging table of the import's own inside the identity schema (the service's role may not make temporary
# tables); it lives only inside the import's transaction
_STAGE = """
CREATE UNLOGGED TABLE identity.{staging} (
    line integer, id_number_lookup bytea, real_name text, certificate_code text, category text, qualified_on date
)
"""


@dataclass
class ImportReport:
    loaded: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, message)


def _records(reader: csv.DictReader[str], vault: IdNumberVault, report: ImportReport) -> Iterator[tuple[object, ...]]:
    for row in reader:
        try:
            entry = qualification_of(row)
        except RuleViolation as violation:
            report.rejected.append((reader.line_num, violation.field, violation.message))
            continue
        yield (
            reader.line_num, vault.lookup(entry.id_number), entry.real_name, entry.certificate_code,
            entry.category.value, entry.qualified_on,
        )  # fmt: skip


def _batches(records: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for record in records:
        batch.append(record)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def open_registry_csv(path: Path) -> tuple[TextIO, csv.DictReader[str]]:
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.DictReader(handle)
    missing = [c for c in COLUMNS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        handle.close()
        raise ValueError(f"{path.name}: the header lacks {', '.join(missing)} (expected {','.join(COLUMNS)})")
    return handle, reader


async def import_registry(
    *, dsn: str, path: Path, vault: IdNumberVault, skip_invalid: bool, progress: Callable[[int], None]
) -> ImportReport:
    """Load `path` (a CSV with a header of COLUMNS). `progress` is told how many bytes were read so far.

    With skip_invalid false, any bad row aborts the whole import and nothing changes.
    """
    report = ImportReport()
    handle, reader = open_registry_csv(path)
    staging = f"registry_import_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            await connection.execute(_STAGE.format(staging=staging))
            for batch in _batches(_records(reader, vault, report)):
                await connection.copy_records_to_table(staging, records=batch, schema_name="identity")
                report.loaded += len(batch)
                progress(handle.buffer.tell() if hasattr(handle, "buffer") else 0)
            if report.rejected and not skip_invalid:
                raise RegistryImportRefused(report)
            await connection.execute(_MERGE.format(staging=staging))
            await connection.execute(f"DROP TABLE identity.{staging}")
    finally:
        await connection.close()
        handle.close()
    return report


class RegistryImportRefused(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.rejected)} rows are invalid; nothing was imported")
        self.report = report
