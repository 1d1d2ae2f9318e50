"""What every service's Alembic `env.py` does: migrate one schema, version table inside it."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def run_alembic_env(metadata: MetaData, database_url: str) -> None:
    schema = metadata.schema
    if not schema:
        raise ValueError("service metadata must name its schema")

    def migrate(connection: Connection) -> None:
        # the role's search_path is its schema; reset it so that reflection reports tables under their
        # schema name, as the metadata names them (else autogenerate sees every table as new)
        connection.exec_driver_sql("SET search_path TO public")
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=lambda name, type_, _parent: type_ != "schema" or name == schema,
        )
        with context.begin_transaction():
            context.run_migrations()

    if context.is_offline_mode():
        context.configure(url=database_url, target_metadata=metadata, version_table_schema=schema, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    async def online() -> None:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(migrate)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(online())


def create_messaging(schema: str) -> None:
    """Migration step: the outbox (with its NOTIFY trigger) and inbox tables of a schema."""
    from alembic import op

    from regsys_runtime.db import schema_metadata
    from regsys_runtime.messaging_tables import messaging_tables, outbox_notify_ddl

    tables = messaging_tables(schema_metadata(schema))
    tables.outbox.create(op.get_bind())
    tables.inbox.create(op.get_bind())
    for ddl in outbox_notify_ddl(schema):
        op.execute(ddl)


def drop_messaging(schema: str) -> None:
    from alembic import op

    from regsys_runtime.messaging_tables import drop_outbox_notify_ddl

    for ddl in drop_outbox_notify_ddl(schema):
        op.execute(ddl)
    op.drop_table("inbox", schema=schema)
    op.drop_table("outbox", schema=schema)


def create_parked_events(schema: str) -> None:
    """Migration step: the table of events a consumer parked until what they depend on arrives (parking.py)."""
    from alembic import op

    from regsys_runtime.db import schema_metadata
    from regsys_runtime.messaging_tables import messaging_tables

    messaging_tables(schema_metadata(schema)).parked.create(op.get_bind())


def drop_parked_events(schema: str) -> None:
    from alembic import op

    op.drop_table("parked_events", schema=schema)


def create_audit_trail(schema: str) -> None:
    """Migration step: the schema's append-only audit trail (regsys_runtime.audit)."""
    from alembic import op

    from regsys_runtime.audit import append_only_sql, audit_table
    from regsys_runtime.db import schema_metadata

    audit_table(schema_metadata(schema)).create(op.get_bind())
    for statement in append_only_sql(schema):
        op.execute(statement)


def drop_audit_trail(schema: str) -> None:
    from alembic import op

    op.execute(f"DROP TABLE {schema}.audit_trail")
    op.execute(f"DROP FUNCTION {schema}.audit_trail_append_only()")
