"""Tables of the applications schema."""

from sqlalchemy import Column, DateTime, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from regsys_runtime.db import schema_metadata
from regsys_runtime.messaging_tables import messaging_tables

metadata = schema_metadata("applications")
messaging = messaging_tables(metadata)

# read model of physicians, from identity's events
physicians = Table(
    "physicians",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("real_name", Text, nullable=False),
    Column("id_number_masked", Text, nullable=False),
    Column("category", Text),
    Column("account_status", Text, nullable=False),
)

# read model of the practice register, from licensing's events
registrations = Table(
    "registrations",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("status", Text, nullable=False),
    Column("certificate_number", Text, nullable=False),
    Column("main_institution_id", UUID(as_uuid=True), nullable=False),
)

applications = Table(
    "applications",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("application_type", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("institution_id", UUID(as_uuid=True), nullable=False),
    Column("category", Text, nullable=False),
    Column("details", JSONB, nullable=False),
    Column("submitted_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

history = Table(
    "application_history",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("application_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("status", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("reason", Text),
    Column("at", DateTime(timezone=True), nullable=False),
)
