# ruff: noqa: S608 -- the statements are made of this module's constants and catalogue names; values are parameters
"""Row 6's population: registered physicians bulk-loaded beside the ones the benchmark seeded over HTTP.

Every synthetic physician is a copy of one physician who went the whole way through the running services (an
initial registration submitted, approved by the institution and the authority, registered, licensed), so each row
is in the shape the services wrote it: the template's rows, with its identities replaced. As the register import does
(licensing.adapters.register_import), the load fills a staging table (one row per physician: its account,
application, licence, institution and region) and merges set-wise from there; the target tables' indexes are dropped
for the merge and built again after it, as they were. The staging rows are made by Postgres (generate_series and
gen_random_uuid): made in Python and COPYed, five million took most of an hour on a loaded 2-core machine.

Only the tables the measured reads use are filled (about 6 KB a physician, 30 GB at five million, most of it the
signed licences): identity's accounts, the inbox, the roster and the histories stay the seeded physicians' own.

Physician n practises at institution n // PER_INSTITUTION and in region n // PER_REGION: the first institution
and region are the seeded ones, so the queues the benchmark reads hold the same number of tasks at every size,
and only the rest of the country grows.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg

PER_INSTITUTION = 500  # physicians of one institution: the review queue's length
PER_REGION = 10_000  # physicians of one county-level region: the authority queue's length
STAGE = "public.scale_people"
DAY = "(p.n % 365) * interval '1 day'"  # the copies applied over the past year, not all in one instant

# numbers as long as the template's, a 9 where the services' own sequences would need 900 million more
NUMBERED = "left(t.{column}, -10) || '9' || lpad(p.n::text, 9, '0')"
CERTIFICATE = NUMBERED.format(column="certificate_number")

# The physician's own rows, table by table: the columns that are not the template's. {t}: the template's row.
PHYSICIAN_ROWS: dict[str, dict[str, str]] = {
    "applications.applications": {
        "id": "p.application_id", "account_id": "p.account_id", "institution_id": "p.institution_id",
        "submitted_at": f"t.submitted_at - {DAY}", "updated_at": f"t.updated_at - {DAY}",
    },
    "institutions.review_tasks": {
        "id": "gen_random_uuid()", "application_id": "p.application_id", "account_id": "p.account_id",
        "institution_id": "p.institution_id", "opened_at": f"t.opened_at - {DAY}",
        "decided_at": f"t.decided_at - {DAY}",
    },
    "licensing.applications": {
        "id": "p.application_id", "account_id": "p.account_id", "institution_id": "p.institution_id",
    },
    "licensing.authority_tasks": {
        "id": "gen_random_uuid()", "application_id": "p.application_id", "account_id": "p.account_id",
        "region_code": "p.region_code", "opened_at": f"t.opened_at - {DAY}", "due_on": "t.due_on - (p.n % 365)::int",
        "decided_at": f"t.decided_at - {DAY}",
    },
    "licensing.registrations": {
        "account_id": "p.account_id", "certificate_number": CERTIFICATE,
        "main_institution_id": "p.institution_id", "updated_at": f"t.updated_at - {DAY}",
    },
    "licensing.licences": {
        "id": "p.licence_id", "number": NUMBERED.format(column="number"), "account_id": "p.account_id",
        "certificate_number": CERTIFICATE, "status_index": "p.status_index", "status_version": None,
        "issued_at": f"t.issued_at - {DAY}", "expires_at": f"t.expires_at - {DAY}",
        "status_changed_at": f"t.status_changed_at - {DAY}",
    },
}  # fmt: skip

# The institutions the copies practise at, one row per institution after the first (the seeded one).
INSTITUTION_ROWS: dict[str, dict[str, str]] = {
    "institutions.institutions": {
        "id": "p.institution_id", "region_code": "p.region_code", "credit_code": "p.credit_code",
    },
    "applications.institutions": {"id": "p.institution_id", "region_code": "p.region_code"},
    "licensing.institutions": {
        "id": "p.institution_id", "region_code": "p.region_code", "credit_code": "p.credit_code",
    },
}  # fmt: skip

STAGE_COLUMNS = (
    "n bigint, account_id uuid, application_id uuid, licence_id uuid, institution_id uuid, region_code text, "
    "credit_code text, status_index int"
)


def _people(start: int, count: int) -> str:
    """The staging rows of physicians start .. start+count-1: random identifiers, as the services make them (an
    institution's made from its number, so a load that goes on where another stopped finds the same)."""
    k, region = f"(n / {PER_INSTITUTION})", f"(n / {PER_REGION})"
    return f"""INSERT INTO {STAGE}
    SELECT n, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(),
        CASE WHEN {k} = 0 THEN $1::uuid ELSE md5($1::text || {k})::uuid END,
        CASE WHEN {region} = 0 THEN $2 ELSE (510000 + {region})::text END,
        '91' || CASE WHEN {region} = 0 THEN $2 ELSE (510000 + {region})::text END || 'S' || lpad({k}::text, 9, '0'),
        $3 + n - {start}
    FROM generate_series({start}::bigint, {start + count - 1}) n"""


async def _columns(db: asyncpg.Connection, table: str) -> list[str]:
    schema, name = table.split(".")
    rows = await db.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 "
        "ORDER BY ordinal_position",
        schema, name,
    )  # fmt: skip
    return [r["column_name"] for r in rows]


async def _indexes(db: asyncpg.Connection, table: str) -> tuple[list[str], list[str]]:
    """How to build the table's indexes and constraints again, and how to drop them."""
    constraints = await db.fetch(
        "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint "
        "WHERE conrelid = $1::regclass AND contype IN ('p', 'u')",
        table,
    )
    owned = {c["conname"] for c in constraints}
    schema = table.split(".")[0]
    indexes = await db.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2",
        schema, table.split(".")[1],
    )  # fmt: skip
    build = [f'ALTER TABLE {table} ADD CONSTRAINT "{c["conname"]}" {c["definition"]}' for c in constraints]
    build += [i["indexdef"] for i in indexes if i["indexname"] not in owned]
    drop = [f'ALTER TABLE {table} DROP CONSTRAINT "{c["conname"]}"' for c in constraints]
    drop += [f'DROP INDEX {schema}."{i["indexname"]}"' for i in indexes if i["indexname"] not in owned]
    return build, drop


async def _merge(db: asyncpg.Connection, table: str, overrides: dict[str, str], template: str, people: str) -> int:
    columns = [c for c in await _columns(db, table) if overrides.get(c, "") is not None]
    values = ", ".join(overrides.get(c) or f't."{c}"' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    status = await db.execute(
        f"INSERT INTO {table} ({names}) SELECT {values} FROM {people} p CROSS JOIN ({template}) t"
    )
    return int(status.split()[-1])


async def _load(dsn: str, seeded: dict[str, Any], start: int, count: int) -> dict[str, Any]:
    db = await asyncpg.connect(dsn)
    timings: dict[str, float] = {}
    try:
        await db.execute("SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '64MB'")
        await db.execute(f"DROP TABLE IF EXISTS {STAGE}; CREATE UNLOGGED TABLE {STAGE} ({STAGE_COLUMNS})")
        status_base = int(await db.fetchval("SELECT last_value FROM licensing.licence_status_index")) + 1
        await db.execute(f"SELECT setval('licensing.licence_status_index', {status_base + count - 1})")
        started = time.perf_counter()
        await db.execute(_people(start, count), seeded["institution"], seeded["region"], status_base)
        await db.execute(f"ANALYZE {STAGE}")
        timings["staging"] = time.perf_counter() - started
        account = await db.fetchval(
            "SELECT account_id FROM applications.applications WHERE id = $1", uuid.UUID(seeded["application_id"])
        )
        for table, overrides in {**PHYSICIAN_ROWS, **INSTITUTION_ROWS}.items():
            started = time.perf_counter()
            build, drop = await _indexes(db, table)
            async with db.transaction():
                for statement in drop:
                    await db.execute(statement)
                if table in PHYSICIAN_ROWS:
                    template = f"SELECT * FROM {table} WHERE account_id = '{account}'"
                    people = STAGE
                else:
                    template = f"SELECT * FROM {table} WHERE id = '{seeded['institution']}'"
                    # each institution once, in the load that holds its first physician
                    people = f"(SELECT * FROM {STAGE} WHERE n % {PER_INSTITUTION} = 0 AND n > 0)"
                await _merge(db, table, overrides, template, people)
                for statement in build:
                    await db.execute(statement)
            await db.execute(f"ANALYZE {table}")
            timings[table] = time.perf_counter() - started
        await db.execute(f"DROP TABLE {STAGE}")
        size = await db.fetchval("SELECT pg_database_size(current_database())")
    finally:
        await db.close()
    return {"timings": timings, "database_bytes": size}


def load_physicians(dsn: str, seeded: dict[str, Any], start: int, count: int) -> dict[str, Any]:
    """Add physicians start .. start+count-1, copies of the one whose application is `seeded["application_id"]`
    at `seeded["institution"]` in `seeded["region"]`; how long each table took and the database's size."""
    return asyncio.run(_load(dsn, seeded, start, count))
