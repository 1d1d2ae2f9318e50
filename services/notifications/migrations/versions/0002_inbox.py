"""inbox

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_messages",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("cause_event_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_messages")),
        sa.UniqueConstraint("cause_event_id", "account_id", name="uq_inbox_messages_cause_recipient"),
        schema="notifications",
    )
    op.create_index(
        op.f("ix_notifications_inbox_messages_account_id"),
        "inbox_messages",
        ["account_id"],
        unique=False,
        schema="notifications",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_notifications_inbox_messages_account_id"), table_name="inbox_messages", schema="notifications"
    )
    op.drop_table("inbox_messages", schema="notifications")
