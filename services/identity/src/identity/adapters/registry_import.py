"""Bulk load of the qualification registry: each batch of checked entries is streamed by COPY into a staging table
and merged into the registry, inside the caller's transaction, so a failed import leaves the registry as it was."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import cast

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from identity.domain.registry import RegistryEntry

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


async def merge_into_registry(session: AsyncSession, batch: Sequence[tuple[int, RegistryEntry]]) -> None:
    """Add or replace the entries of `batch` (line, entry); of one ID number the entry of the last line wins."""
    staging = f"registry_import_{uuid.uuid4().hex[:12]}"
    await session.execute(text(_STAGE.format(staging=staging)))  # also opens the transaction COPY then joins
    connection = await (await session.connection()).get_raw_connection()
    records = [
        (line, e.id_number_lookup, e.real_name, e.certificate_code, e.category.value, e.qualified_on)
        for line, e in batch
    ]
    copying = cast(asyncpg.Connection, connection.driver_connection)
    await copying.copy_records_to_table(staging, records=records, schema_name="identity")
    await session.execute(text(_MERGE.format(staging=staging)))
    await session.execute(text(f"DROP TABLE identity.{staging}"))
