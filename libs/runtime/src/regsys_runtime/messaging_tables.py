"""The outbox, inbox and parked-events tables every service keeps in its own schema."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


@dataclass(frozen=True)
class MessagingTables:
    outbox: Table
    inbox: Table
    parked: Table

    @property
    def schema(self) -> str:
        if self.outbox.schema is None:
            raise ValueError("the outbox table must name its schema")
        return self.outbox.schema

    @property
    def notify_channel(self) -> str:
        return outbox_channel(self.schema)


# the trace context of the work that wrote an outbox row, kept in the row's envelope JSON (envelopes ignore keys
# they do not know) so that no schema needs a migration; the relay takes it out and sends it as Kafka headers
TRACE_KEY = "_trace"


def outbox_channel(schema: str) -> str:
    return f"{schema}_outbox"


def messaging_tables(metadata: MetaData) -> MessagingTables:
    """Declare the outbox, inbox and parked-events tables on a service's metadata."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("topic", Text, nullable=False),
        Column("key", Text, nullable=False),
        Column("event_type", Text, nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True)),
    )
    Index("ix_outbox_unpublished", outbox.c.id, postgresql_where=outbox.c.published_at.is_(None))
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", Text, nullable=False),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("event_type", Text, nullable=False),
        Column("applied_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
        PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
    )
    return MessagingTables(outbox=outbox, inbox=inbox, parked=parked_table(metadata))


def parked_table(metadata: MetaData) -> Table:
    """Events a consumer took before what they depend on had arrived (parking.py), kept as they came."""
    parked = Table(
        "parked_events",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("consumer", Text, nullable=False),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("event_type", Text, nullable=False),
        Column("key", Text, nullable=False),
        Column("topic", Text, nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("message", LargeBinary, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("reason", Text, nullable=False),
        Column("tries", Integer, nullable=False),
        Column("parked_at", DateTime(timezone=True), nullable=False),
        Column("retry_at", DateTime(timezone=True), nullable=False),
        Column("give_up_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("consumer", "event_id", name="uq_parked_events_event"),
    )
    Index("ix_parked_events_due", parked.c.consumer, parked.c.retry_at)
    Index("ix_parked_events_key", parked.c.consumer, parked.c.key)
    return parked


def outbox_notify_ddl(schema: str) -> list[str]:
    """SQL that makes every outbox insert wake the relays (NOTIFY at commit)."""
    channel = outbox_channel(schema)
    return [
        f"""CREATE OR REPLACE FUNCTION {schema}.notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{channel}', ''); RETURN NULL; END $$""",
        f"""CREATE TRIGGER outbox_inserted AFTER INSERT ON {schema}.outbox
        FOR EACH STATEMENT EXECUTE FUNCTION {schema}.notify_outbox()""",
    ]


def drop_outbox_notify_ddl(schema: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS outbox_inserted ON {schema}.outbox",
        f"DROP FUNCTION IF EXISTS {schema}.notify_outbox()",
    ]
