"""Tables of the identity schema."""

from sqlalchemy import Boolean, Column, Date, DateTime, Index, LargeBinary, Table, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from regsys_runtime.audit import audit_table
from regsys_runtime.db import schema_metadata
from regsys_runtime.messaging_tables import messaging_tables

metadata = schema_metadata("identity")
messaging = messaging_tables(metadata)

accounts = Table(
    "accounts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("role", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("login_name", Text, nullable=False),  # unique without regard to case: the index below
    Column("password_hash", Text, nullable=False),
    Column("real_name", Text, nullable=False),
    Column("id_number_cipher", LargeBinary),
    Column("id_number_lookup", LargeBinary, unique=True),
    Column("id_number_masked", Text),
    Column("phone", Text),
    Column("email", Text),
    Column("institution_id", UUID(as_uuid=True)),
    Column("region_code", Text),
    Column("category", Text),
    Column("status_reason", Text),
    Column("activating_institution_id", UUID(as_uuid=True)),  # the institution that last sent a code
    Column("phone_verified_at", DateTime(timezone=True)),
    Column("email_verified_at", DateTime(timezone=True)),
    Column("status_before_disabled", Text),  # what enabling the account again restores
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("uq_accounts_login_name_lower", func.lower(accounts.c.login_name), unique=True)
# a phone proven on one account that is not disabled is no other account's to prove (registration, phone change)
Index(
    "uq_accounts_verified_phone",
    accounts.c.phone,
    unique=True,
    postgresql_where=text("phone_verified_at IS NOT NULL AND status <> 'disabled'"),
)

# Rotating refresh tokens: each use spends one and issues the next in its family; a spent one coming back
# means it was stolen, and the whole family is revoked.
refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("family_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("secret_digest", LargeBinary, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

qualifications = Table(
    "qualifications",
    metadata,
    Column("id_number_lookup", LargeBinary, primary_key=True),
    Column("real_name", Text, nullable=False),
    Column("certificate_code", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("qualified_on", Date),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", Text, primary_key=True),
    Column("private_key_cipher", LargeBinary, nullable=False),
    Column("public_jwk", JSONB, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

audit_trail = audit_table(metadata)  # operators' actions (regsys_runtime.audit)
