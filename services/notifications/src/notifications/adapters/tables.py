"""Tables of the notifications schema."""

from sqlalchemy import Column, DateTime, Table, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID

from regsys_runtime.db import schema_metadata
from regsys_runtime.messaging_tables import messaging_tables

metadata = schema_metadata("notifications")
messaging = messaging_tables(metadata)

inbox_messages = Table(
    "inbox_messages",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("cause_event_id", UUID(as_uuid=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
    UniqueConstraint("cause_event_id", "account_id", name="uq_inbox_messages_cause_recipient"),
)
