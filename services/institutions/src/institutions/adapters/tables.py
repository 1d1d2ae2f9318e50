"""Tables of the institutions schema."""

from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB, UUID

from regsys_runtime.db import schema_metadata
from regsys_runtime.messaging_tables import messaging_tables

metadata = schema_metadata("institutions")
messaging = messaging_tables(metadata)

institutions = Table(
    "institutions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("credit_code", Text, nullable=False, unique=True),
    Column("licence_number", Text, nullable=False),
    Column("region_code", Text, nullable=False),
    Column("level", Text),
    Column("address", Text),
    Column("auto_activation", Boolean, nullable=False, server_default="false"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

activation_requests = Table(
    "activation_requests",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("institution_id", UUID(as_uuid=True), primary_key=True),
    Column("real_name", Text, nullable=False),
    Column("id_number_masked", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("category", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", UUID(as_uuid=True)),  # staff account; none when automatic
    Column("reason", Text),
    Column("method", Text),  # how it was granted (contracts.enums.ActivationMethod)
    Column("activated_at", DateTime(timezone=True)),  # when identity activated the account
)

review_tasks = Table(
    "review_tasks",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("application_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("account_id", UUID(as_uuid=True), nullable=False),
    Column("institution_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("application_type", Text, nullable=False),
    Column("physician_name", Text, nullable=False),
    Column("id_number_masked", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("details", JSONB, nullable=False),
    Column("status", Text, nullable=False),
    Column("reason", Text),
    Column("reviewer_id", UUID(as_uuid=True)),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
    Index("ix_institutions_review_tasks_queue", "institution_id", "status", "application_type", "opened_at"),
)

# the physicians practising at each institution (main and multi-site), from licensing's register snapshots
roster = Table(
    "roster",
    metadata,
    Column("institution_id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), primary_key=True, index=True),
    Column("role", Text, nullable=False),  # main | multi_site
    Column("physician_name", Text),
    Column("id_number_masked", Text),
    Column("certificate_number", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("registration_status", Text, nullable=False),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("since", DateTime(timezone=True), nullable=False),
)

# the register's version of the snapshot each physician's roster rows came from
roster_versions = Table(
    "roster_versions",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("register_version", Integer, nullable=False),
)

# every staff and operator action, append-only (a trigger refuses UPDATE, DELETE and TRUNCATE)
audit_trail = Table(
    "audit_trail",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", UUID(as_uuid=True), nullable=False),
    Column("actor_role", Text, nullable=False),
    Column("address", Text),  # the client address, as the gateway saw it
    Column("action", Text, nullable=False),
    Column("institution_id", UUID(as_uuid=True)),
    Column("subject_id", UUID(as_uuid=True)),
    Column("details", JSONB, nullable=False),
    Index("ix_institutions_audit_trail_at", "at"),
    Index("ix_institutions_audit_trail_institution", "institution_id", "at"),
    Index("ix_institutions_audit_trail_actor", "actor_id", "at"),
)
