# ruff: noqa: S608 -- the statements are made of this module's constants and generated table names; values are parameters
"""Bulk load of the register exported by the previous system, in one transaction: every file is streamed by COPY
into staging tables of the import's own, checked there set-wise (rows that cannot go in are taken out and reported
with their line), then merged into the register. A failed import leaves the register as it was; a dry run does all
of it and rolls back; a second run of the same export adds nothing (each registration's account id and each
filing's id are made from the export's own identifiers, and registrations already imported are left alone).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import asyncpg

from licensing.adapters.register_export import ExportFile, Rejection, records
from licensing.domain.register_import import HISTORY, MULTI_SITE_FILINGS, REGISTER_IMPORT, REGISTRATIONS

BATCH = 20_000
S = "licensing"

_STAGES = {  # the service's role may not make temporary tables: unlogged ones in its schema, dropped at the end
    REGISTRATIONS: "line int, certificate_number text, account_id uuid, physician_name text, id_number_masked text, "
    "qualification_code text, category text, practice_scope text, institution_code text, registered_on date, "
    "status text, filed_on date, deregistered_on date",
    MULTI_SITE_FILINGS: "line int, certificate_number text, filing_id uuid, institution_code text, starts_on date, "
    "ends_on date, ended_on date",
    HISTORY: "line int, certificate_number text, changed_on date, change text, institution_code text, status text",
}

# institutions by the credit code the export names them with (the latest record where two carry one code)
_INSTITUTIONS = f"""(SELECT DISTINCT ON (credit_code) credit_code, id FROM {S}.institutions
    WHERE credit_code IS NOT NULL ORDER BY credit_code, recorded_at DESC NULLS LAST)"""
_NOON = "((({d}) + time '12:00') AT TIME ZONE 'Asia/Shanghai')"  # a day of the export as a moment, Beijing noon


def _row(kind: str, record: Any) -> tuple[object, ...]:
    if kind == REGISTRATIONS:
        r = record
        return (
            r.line, r.certificate_number, r.account_id, r.real_name, r.id_number_masked, r.qualification_code,
            r.category.value, r.practice_scope, r.institution_code, r.registered_on, r.status.value, r.filed_on,
            r.deregistered_on,
        )  # fmt: skip
    if kind == MULTI_SITE_FILINGS:
        m = record
        return (m.line, m.certificate_number, m.filing_id, m.institution_code, m.starts_on, m.ends_on, m.ended_on)
    c = record
    return (c.line, c.certificate_number, c.changed_on, c.change.value, c.institution_code, c.status.value)


@dataclass
class RegisterImportReport:
    read: dict[str, int] = field(default_factory=dict)  # rows read per file kind
    imported: int = 0  # registrations added to the register
    already: int = 0  # registrations the register held from an earlier run
    rejected: list[Rejection] = field(default_factory=list)


class Staging:
    """The import's staging tables, one per kind of record, inside the licensing schema."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection
        self.prefix = f"register_import_{uuid.uuid4().hex[:12]}"

    def name(self, kind: str) -> str:
        return f"{S}.{self.prefix}_{kind}"

    async def create(self) -> None:
        for kind, columns in _STAGES.items():
            await self.connection.execute(f"CREATE UNLOGGED TABLE {self.name(kind)} ({columns})")

    async def drop(self) -> None:
        for kind in _STAGES:
            await self.connection.execute(f"DROP TABLE {self.name(kind)}")

    async def copy(self, kind: str, rows: Iterable[tuple[object, ...]]) -> int:
        table = f"{self.prefix}_{kind}"
        copied = 0
        for batch in _batches(rows):
            await self.connection.copy_records_to_table(table, records=batch, schema_name=S)
            copied += len(batch)
        return copied


def _batches(rows: Iterable[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


# Set-wise checks: each takes the rows it finds out of a staging table and returns (line, field, reason).
# {r}, {m}, {c}: the staging tables of registrations, multi-site filings and history.
_CHECKS: dict[str, tuple[str, ...]] = {
    REGISTRATIONS: (
        """DELETE FROM {r} a USING {r} b WHERE a.certificate_number = b.certificate_number AND a.line > b.line
        RETURNING a.line, 'certificate_number',
            '执业证书编码在导出中重复，已导入第 ' || b.line || ' 行 (certificate number repeated; line ' || b.line
            || ' was taken)'""",
        """DELETE FROM {r} a USING {r} b WHERE a.qualification_code = b.qualification_code AND a.line > b.line
        RETURNING a.line, 'qualification_code',
            '同一医师（资格证书编码）在导出中有多条注册，已导入第 ' || b.line || ' 行；较早的注册请放入 history.csv '
            || '(one physician, two registrations: line ' || b.line || ' was taken; put the earlier in history)'""",
        """DELETE FROM {r} s USING licensing.register_claims c
        WHERE c.qualification_code = s.qualification_code AND c.account_id <> s.account_id
        RETURNING s.line, 'qualification_code', '该医师已以执业证书编码 ' || c.certificate_number
            || ' 导入 (this physician was imported before, with certificate number ' || c.certificate_number || ')'""",
        """DELETE FROM {r} s
        WHERE EXISTS (SELECT 1 FROM licensing.registrations g WHERE g.certificate_number = s.certificate_number)
            OR EXISTS (SELECT 1 FROM licensing.registration_history h WHERE h.certificate_number = s.certificate_number)
        RETURNING s.line, 'certificate_number', '本系统已有使用该执业证书编码的注册 '
            || '(a registration made in this system holds this certificate number)'""",
        """DELETE FROM {r} s WHERE NOT EXISTS (SELECT 1 FROM """
        + _INSTITUTIONS
        + """ i
            WHERE i.credit_code = s.institution_code)
        RETURNING s.line, 'institution_credit_code', '主要执业机构 ' || s.institution_code
            || ' 尚未导入，请先导入机构 (unknown institution: import the institutions first)'""",
    ),
    MULTI_SITE_FILINGS: (
        """DELETE FROM {m} a USING {m} b WHERE a.filing_id = b.filing_id AND a.line > b.line
        RETURNING a.line, 'starts_on', '与第 ' || b.line || ' 行重复 (the same filing as line ' || b.line || ')'""",
        """DELETE FROM {m} s WHERE NOT EXISTS (SELECT 1 FROM {r} r WHERE r.certificate_number = s.certificate_number)
        RETURNING s.line, 'certificate_number', '导出的注册中没有该执业证书编码（或该注册已被拒绝） '
            || '(no registration of the export has this certificate number, or it was rejected)'""",
        """DELETE FROM {m} s WHERE NOT EXISTS (SELECT 1 FROM """
        + _INSTITUTIONS
        + """ i
            WHERE i.credit_code = s.institution_code)
        RETURNING s.line, 'institution_credit_code', '多点执业机构 ' || s.institution_code
            || ' 尚未导入，请先导入机构 (unknown institution: import the institutions first)'""",
        """DELETE FROM {m} s USING {r} r WHERE r.certificate_number = s.certificate_number
            AND r.institution_code = s.institution_code AND s.ended_on IS NULL AND r.status = 'valid'
        RETURNING s.line, 'institution_credit_code', '多点执业机构不能是主要执业机构 '
            || '(a multi-site filing cannot be at the main institution)'""",
    ),
    HISTORY: (
        """DELETE FROM {c} s WHERE NOT EXISTS (SELECT 1 FROM {r} r WHERE r.certificate_number = s.certificate_number)
        RETURNING s.line, 'certificate_number', '导出的注册中没有该执业证书编码（或该注册已被拒绝） '
            || '(no registration of the export has this certificate number, or it was rejected)'""",
        """DELETE FROM {c} s WHERE NOT EXISTS (SELECT 1 FROM """
        + _INSTITUTIONS
        + """ i
            WHERE i.credit_code = s.institution_code)
        RETURNING s.line, 'institution_credit_code', '执业机构 ' || s.institution_code
            || ' 尚未导入，请先导入机构 (unknown institution: import the institutions first)'""",
    ),
}

# what an earlier run imported is left as it is (the physician may have claimed it and applied since)
_ALREADY = (
    "DELETE FROM {r} s USING licensing.register_claims c WHERE c.account_id = s.account_id RETURNING s.line",
    "DELETE FROM {m} s USING licensing.register_claims c WHERE c.certificate_number = s.certificate_number",
    "DELETE FROM {c} s USING licensing.register_claims c WHERE c.certificate_number = s.certificate_number",
)

_SNAPSHOT = """jsonb_build_object('account_id', r.account_id, 'certificate_number', r.certificate_number,
    'status', {status}, 'category', r.category, 'practice_scope', r.practice_scope, 'main_institution_id', {main},
    'physician_name', r.physician_name, 'id_number_masked', r.id_number_masked, 'changed_at', {at}, {more})"""
_REGISTER_SNAPSHOT = _SNAPSHOT.format(
    status="g.status", main="g.main_institution_id", at="$1::timestamptz",
    more="""'filed_on', g.filed_on, 'filing_institution_id', g.filing_institution_id, 'photo_sha256', NULL,
    'cause_application_id', NULL, 'cause_application_type', NULL, 'register_version', g.version,
    'reason', '由原注册系统导入', 'multi_sites', COALESCE((SELECT jsonb_agg(jsonb_build_object('filing_id', f.id,
        'institution_id', f.institution_id, 'starts_on', f.starts_on, 'ends_on', f.ends_on) ORDER BY f.starts_on)
        FROM licensing.multi_site_filings f WHERE f.account_id = g.account_id AND f.status = 'valid'), '[]')""",
)  # fmt: skip
_HISTORY_COLUMNS = "account_id, certificate_number, status, main_institution_id, cause, snapshot, changed_at"
# a registration with no history in the export gets the changes its record tells of
_TOLD = """
SELECT r.*, t.changed_on, t.change, t.state FROM {r} r
CROSS JOIN LATERAL (VALUES (r.registered_on, 'initial_registration', 'valid'),
    (r.filed_on, 'practice_filing', 'filed'), (r.deregistered_on, 'deregistration', 'deregistered'))
    AS t (changed_on, change, state)
WHERE t.changed_on IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {c} c WHERE c.certificate_number = r.certificate_number)
"""
_TODAY = "($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date"  # the business day of the import
_ENDED = f"r.status = 'deregistered' OR m.ended_on IS NOT NULL OR m.ends_on < {_TODAY}"
_MERGES = (
    f"""INSERT INTO licensing.registrations (account_id, certificate_number, status, category, practice_scope,
        main_institution_id, filed_on, updated_at, filing_institution_id, physician_name, id_number_masked, version)
    SELECT r.account_id, r.certificate_number, r.status, r.category, r.practice_scope, i.id, r.filed_on,
        $1::timestamptz, CASE WHEN r.status = 'filed' THEN i.id END, r.physician_name, r.id_number_masked, 1
    FROM {{r}} r JOIN {_INSTITUTIONS} i ON i.credit_code = r.institution_code""",
    """INSERT INTO licensing.register_claims (account_id, certificate_number, qualification_code, id_number_masked,
        imported_at)
    SELECT r.account_id, r.certificate_number, r.qualification_code, r.id_number_masked, $1::timestamptz FROM {r} r""",
    f"""INSERT INTO licensing.multi_site_filings (id, account_id, institution_id, starts_on, ends_on, status,
        ended_at, end_reason)
    SELECT m.filing_id, r.account_id, i.id, m.starts_on, m.ends_on,
        CASE WHEN {_ENDED} THEN 'ended' ELSE 'valid' END,
        CASE WHEN {_ENDED} THEN {_NOON.format(d="LEAST(m.ended_on, r.deregistered_on, m.ends_on + 1)")} END,
        CASE WHEN m.ended_on IS NOT NULL THEN '原系统已取消多点执业备案'
            WHEN r.status = 'deregistered' THEN '原系统已注销'
            WHEN m.ends_on < {_TODAY} THEN '多点执业备案有效期届满' END
    FROM {{m}} m JOIN {{r}} r USING (certificate_number)
        JOIN {_INSTITUTIONS} i ON i.credit_code = m.institution_code""",
    f"""INSERT INTO licensing.registration_history ({_HISTORY_COLUMNS})
    SELECT r.account_id, r.certificate_number, c.status, i.id, c.change,
        {_SNAPSHOT.format(status="c.status", main="i.id", at=_NOON.format(d="c.changed_on"),
                          more="'cause_application_type', c.change, 'reason', '原注册系统的记录'")},
        {_NOON.format(d="c.changed_on")}
    FROM {{c}} c JOIN {{r}} r USING (certificate_number)
        JOIN {_INSTITUTIONS} i ON i.credit_code = c.institution_code
    ORDER BY r.account_id, c.changed_on, c.line""",
    f"""INSERT INTO licensing.registration_history ({_HISTORY_COLUMNS})
    SELECT r.account_id, r.certificate_number, r.state, i.id, r.change,
        {_SNAPSHOT.format(status="r.state", main="i.id", at=_NOON.format(d="r.changed_on"),
                          more="'cause_application_type', r.change, 'reason', '原注册系统的记录'")},
        {_NOON.format(d="r.changed_on")}
    FROM ({_TOLD}) r JOIN {_INSTITUTIONS} i ON i.credit_code = r.institution_code
    ORDER BY r.account_id, r.changed_on""",
    f"""INSERT INTO licensing.registration_history ({_HISTORY_COLUMNS})
    SELECT g.account_id, g.certificate_number, g.status, g.main_institution_id, '{REGISTER_IMPORT}',
        {_REGISTER_SNAPSHOT}, $1::timestamptz
    FROM {{r}} r JOIN licensing.registrations g ON g.account_id = r.account_id""",
)  # fmt: skip


class ImportRolledBack(Exception):
    """A dry run's way out of the transaction: everything was checked and nothing stays."""


async def _stage(staging: Staging, files: list[ExportFile], report: RegisterImportReport,
                 progress: Callable[[str, int], None]) -> None:  # fmt: skip
    for export in files:
        rows = records(export, report.rejected.append, partial(progress, export.path.name))
        report.read[export.kind] = await staging.copy(export.kind, (_row(export.kind, r) for r in rows))


async def _check(staging: Staging, files: list[ExportFile], report: RegisterImportReport) -> None:
    tables = {"r": staging.name(REGISTRATIONS), "m": staging.name(MULTI_SITE_FILINGS), "c": staging.name(HISTORY)}
    names = {f.kind: f.path.name for f in files}
    already, *others = _ALREADY
    report.already = len(await staging.connection.fetch(already.format(**tables)))
    for statement in others:
        await staging.connection.execute(statement.format(**tables))
    for kind, checks in _CHECKS.items():
        for check in checks:
            for line, column, reason in await staging.connection.fetch(check.format(**tables)):
                report.rejected.append(Rejection(names.get(kind, f"{kind}.csv"), line, column, reason))


async def _merge(staging: Staging, now: datetime) -> int:
    tables = {"r": staging.name(REGISTRATIONS), "m": staging.name(MULTI_SITE_FILINGS), "c": staging.name(HISTORY)}
    imported = 0
    for number, statement in enumerate(_MERGES):
        arguments = [now] if "$1" in statement else []
        status = await staging.connection.execute(statement.format(**tables), *arguments)
        imported = int(status.split()[-1]) if number == 0 else imported
    return imported


async def import_register(
    *, dsn: str, files: list[ExportFile], now: datetime, dry_run: bool,
    progress: Callable[[str, int], None],
) -> RegisterImportReport:  # fmt: skip
    """Load an export (`files`, see register_export.export_files) into the register in one transaction.

    Filings whose period ended before the business day of `now` come in ended. `progress` is told the file being
    read and its bytes read so far. With `dry_run` nothing stays."""
    report = RegisterImportReport()
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock(hashtext('licensing:register-import'))")
            staging = Staging(connection)
            await staging.create()
            await _stage(staging, files, report, progress)
            await _check(staging, files, report)
            report.imported = await _merge(staging, now)
            await staging.drop()
            if dry_run:
                raise ImportRolledBack
    except ImportRolledBack:
        pass
    finally:
        await connection.close()
    order = {f.path.name: n for n, f in enumerate(files)}
    report.rejected.sort(key=lambda r: (order.get(r.file, len(order)), r.line))
    return report
