"""Tables of the notifications schema."""

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, Table, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

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
Index("ix_inbox_messages_unread", inbox_messages.c.account_id, postgresql_where=inbox_messages.c.read_at.is_(None))

# One row per message to send on one channel to one recipient, for one cause event: the unique key makes
# a redelivered event send nothing more. Pending rows are sent by the delivery worker, with backoff.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("cause_event_id", UUID(as_uuid=True), nullable=False),
    Column("cause_event_type", Text, nullable=False),
    Column("correlation_id", Text, nullable=False),
    Column("account_id", UUID(as_uuid=True)),
    Column("channel", Text, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("template", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("sms_params", JSONB),  # an SMS's facts by placeholder, for providers that send approved templates
    Column("sensitive", Boolean, nullable=False),  # carries a code or link: the body is erased once final
    Column("status", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("expires_at", DateTime(timezone=True)),  # a code that expired is no longer worth sending
    Column("last_error", Text),
    Column("provider_message_id", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("erased_at", DateTime(timezone=True)),  # when retention erased the recipient, text and parameters
    UniqueConstraint("cause_event_id", "recipient", "channel", name="uq_deliveries_cause_recipient_channel"),
)
Index("ix_deliveries_due", deliveries.c.next_attempt_at, postgresql_where=deliveries.c.status == "pending")
# the retention job's work: final deliveries whose personal data is still there
Index(
    "ix_deliveries_to_erase",
    deliveries.c.finished_at,
    postgresql_where=(deliveries.c.status != "pending") & deliveries.c.erased_at.is_(None),
)

# Read model of every account, from identity's events: whom to tell, and how to reach them.
accounts = Table(
    "accounts",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("role", Text, nullable=False),
    Column("real_name", Text, nullable=False),
    Column("phone", Text),
    Column("email", Text),
    Column("institution_id", UUID(as_uuid=True), index=True),  # institution staff
    Column("region_code", Text, index=True),  # officers
    Column("disabled", Boolean, nullable=False, server_default="false"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Read model of practice registrations, from licensing's snapshots: the institutions a physician practises at.
registrations = Table(
    "registrations",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("certificate_number", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("institution_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)
