"""Tables of the licensing schema."""

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
    Sequence,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from regsys_runtime.audit import audit_table
from regsys_runtime.db import schema_metadata
from regsys_runtime.messaging_tables import messaging_tables

metadata = schema_metadata("licensing")
messaging = messaging_tables(metadata)

certificate_sequence = Sequence("certificate_sequence", metadata=metadata)

# read models, from institutions' and applications' events
institutions = Table(
    "institutions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("region_code", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True)),  # when the record applied was made: older ones change nothing
    Column("credit_code", Text, index=True),  # how the previous system's export names it (register import)
)

applications = Table(
    "applications",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("application_type", Text, nullable=False),
    Column("institution_id", UUID(as_uuid=True), nullable=False),
    Column("category", Text, nullable=False),
    Column("physician_name", Text, nullable=False),
    Column("id_number_masked", Text, nullable=False),
    Column("details", JSONB, nullable=False),
    Column("status", Text, nullable=False),
    Column("ended_at", DateTime(timezone=True)),  # when it was withdrawn or closed
    Column("end_reason", Text),  # why the system closed it
)

authority_tasks = Table(
    "authority_tasks",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("application_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("region_code", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("reason", Text),
    Column("officer_id", UUID(as_uuid=True)),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("decided_at", DateTime(timezone=True)),
    # the regional queue: a range of region codes, its open tasks found in the index
    Index("ix_licensing_authority_tasks_queue", "region_code", "status", "due_on"),
)

registrations = Table(
    "registrations",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("certificate_number", Text, nullable=False, unique=True),
    Column("status", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("practice_scope", Text),
    Column("main_institution_id", UUID(as_uuid=True), nullable=False),
    Column("filed_on", Date),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("filing_institution_id", UUID(as_uuid=True)),
    Column("photo_sha256", Text),
    Column("physician_name", Text),
    Column("id_number_masked", Text),
    Column("version", Integer, nullable=False, server_default=text("0")),  # grows by one with every change
)

multi_site_filings = Table(
    "multi_site_filings",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("institution_id", UUID(as_uuid=True), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False, index=True),
    Column("status", Text, nullable=False),  # valid | ended
    Column("cause_application_id", UUID(as_uuid=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("end_reason", Text),
)

# every change of a registration, as the snapshot after it and what caused it
registration_history = Table(
    "registration_history",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("certificate_number", Text, nullable=False, index=True),  # no number is given out twice
    Column("status", Text, nullable=False),
    Column("main_institution_id", UUID(as_uuid=True), nullable=False),
    Column("cause", Text, nullable=False),  # an application type, or multi_site_expired
    Column("cause_application_id", UUID(as_uuid=True)),
    Column("snapshot", JSONB, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# a registration imported from the previous system waits, under an account id of its own (a placeholder made from
# its certificate number), for the physician whose qualification check matches its certificate code and masked ID
register_claims = Table(
    "register_claims",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),  # the placeholder the import gave it
    Column("certificate_number", Text, nullable=False, unique=True),
    Column("qualification_code", Text, nullable=False, unique=True),
    Column("id_number_masked", Text, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("claimed_by", UUID(as_uuid=True), unique=True),  # the physician's account, once linked
    Column("claimed_at", DateTime(timezone=True)),
)

# the paper materials an officer recorded as received, per application
received_materials = Table(
    "received_materials",
    metadata,
    Column("application_id", UUID(as_uuid=True), primary_key=True),
    Column("code", Text, primary_key=True),
    Column("officer_id", UUID(as_uuid=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# the electronic licence: signing keys, the register as each holder's licence shows it, the licences
licence_signing_keys = Table(
    "licence_signing_keys",
    metadata,
    Column("kid", Text, primary_key=True),
    Column("private_key_cipher", LargeBinary, nullable=False),
    Column("public_jwk", JSONB, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True)),
)

licence_status_index = Sequence("licence_status_index", metadata=metadata, start=0, minvalue=0)  # counts issues
licence_status_version = Sequence("licence_status_version", metadata=metadata)  # grows with every status change

licence_holders = Table(
    "licence_holders",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("register", JSONB, nullable=False),  # the latest RegistrationChanged snapshot
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

licences = Table(
    "licences",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("number", Text, nullable=False, unique=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("edition", Integer, nullable=False),
    Column("certificate_number", Text, nullable=False),
    Column("status", Text, nullable=False, index=True),
    Column("status_reason", Text),
    Column("status_index", Integer, nullable=False, unique=True),
    Column("kid", Text, nullable=False),
    Column("document", Text, nullable=False),  # the compact JWS: the whole licence, signed
    Column("credential", Text),  # the QR code's credential (RL1:…, COSE); null for licences issued before it
    Column("content", JSONB, nullable=False),  # what the licence shows
    Column("shown", JSONB, nullable=False),  # the register snapshot it was issued from
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("status_changed_at", DateTime(timezone=True), nullable=False),
    Column(
        "status_version",
        BigInteger,
        server_default=text("nextval('licensing.licence_status_version')"),
        nullable=False,
        index=True,
    ),
    Column("superseded_by", UUID(as_uuid=True)),
)
Index(
    "uq_licences_one_current_per_account",
    licences.c.account_id,
    unique=True,
    postgresql_where=licences.c.status.in_(("valid", "suspended")),
)

audit_trail = audit_table(metadata)  # officers' decisions and operators' key rotations (regsys_runtime.audit)
