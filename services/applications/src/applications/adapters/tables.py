"""Tables of the applications schema."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Table,
    Text,
    text,
)
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
    Column("filed_on", Date),
    Column("filing_institution_id", UUID(as_uuid=True)),
    Column("multi_sites", JSONB, nullable=False, server_default="[]"),
    Column("photo_sha256", Text),
    Column("register_version", Integer, nullable=False, server_default="0"),  # of the snapshot held
)

# read model of institutions, from institutions' events: who may be chosen, and their names on the form
institutions = Table(
    "institutions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("region_code", Text, nullable=False),
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
    Column("affects", Text),  # the part of the register it affects (see domain.kinds.affects)
    # a withdrawal the physician asked for, until the reviewing institution settles it
    Column("withdrawal_requested_at", DateTime(timezone=True)),
    Column("withdrawal_reason", Text),
    # at most one open application per account and part of the register, whatever races the API
    Index(
        "uq_applications_one_open_per_part",
        "account_id",
        "affects",
        unique=True,
        postgresql_where=text("status IN ('submitted', 'institution_review', 'authority_review')"),
    ),
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
    Column("actor_id", UUID(as_uuid=True)),
    Column("outcome", Text),  # what happened: the trigger of the state machine
    Column("late", Boolean, nullable=False, server_default="false"),
    Column("seq", BigInteger, Identity(), nullable=False),  # the order of the steps, even within one instant
)

photos = Table(
    "application_photos",
    metadata,
    Column("application_id", UUID(as_uuid=True), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)
