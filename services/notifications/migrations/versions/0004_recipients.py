"""recipients: read models of accounts (contacts, roles) and practice registrations (rosters)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("real_name", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("institution_id", sa.UUID(), nullable=True),
        sa.Column("region_code", sa.Text(), nullable=True),
        sa.Column("disabled", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_accounts")),
        schema="notifications",
    )
    op.create_index(
        op.f("ix_notifications_accounts_institution_id"), "accounts", ["institution_id"], schema="notifications"
    )
    op.create_index(op.f("ix_notifications_accounts_region_code"), "accounts", ["region_code"], schema="notifications")
    op.create_table(
        "registrations",
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("certificate_number", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("institution_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_registrations")),
        schema="notifications",
    )
    op.create_index(
        "ix_inbox_messages_unread",
        "inbox_messages",
        ["account_id"],
        schema="notifications",
        postgresql_where=sa.text("read_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_messages_unread", table_name="inbox_messages", schema="notifications")
    op.drop_table("registrations", schema="notifications")
    op.drop_index(op.f("ix_notifications_accounts_region_code"), table_name="accounts", schema="notifications")
    op.drop_index(op.f("ix_notifications_accounts_institution_id"), table_name="accounts", schema="notifications")
    op.drop_table("accounts", schema="notifications")
