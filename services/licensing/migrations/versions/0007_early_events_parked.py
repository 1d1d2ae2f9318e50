"""events kept for an application not yet seen move to the consumer's shared parking (regsys_runtime.parking),
which now holds them; their own table goes

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from contracts import Envelope

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

S = "licensing"
MOVE = sa.text(
    """INSERT INTO licensing.parked_events (consumer, event_id, event_type, key, topic, partition, "offset", message,
        headers, reason, tries, parked_at, retry_at, give_up_at)
    VALUES (:consumer, :event_id, :event_type, :key, :topic, -1, -1, :message, '[]', :reason, 1,
        CAST(:parked_at AS timestamptz), now(), CAST(:parked_at AS timestamptz) + interval '1 day')
    ON CONFLICT DO NOTHING"""
)


def upgrade() -> None:
    """Nothing kept is lost: each waits in the parked table under the physician's key, due at once."""
    bind = op.get_bind()
    for row in bind.execute(sa.text("SELECT event_id, envelope, parked_at FROM licensing.early_events")).mappings():
        envelope = Envelope.model_validate(row["envelope"])
        bind.execute(MOVE, {
            "consumer": S, "event_id": row["event_id"], "event_type": envelope.event_type,
            "key": envelope.subject_id, "topic": str(envelope.topic), "message": envelope.to_bytes(),
            "reason": "kept before its application arrived", "parked_at": row["parked_at"],
        })  # fmt: skip
    op.drop_index(op.f("ix_licensing_early_events_application_id"), table_name="early_events", schema=S)
    op.drop_table("early_events", schema=S)


def downgrade() -> None:
    op.create_table(
        "early_events",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_early_events")),
        schema=S,
    )
    op.create_index(op.f("ix_licensing_early_events_application_id"), "early_events", ["application_id"], schema=S)
