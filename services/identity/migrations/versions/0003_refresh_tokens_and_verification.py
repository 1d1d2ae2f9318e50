"""refresh tokens and verified contacts

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("activating_institution_id", sa.UUID()), schema="identity")
    op.add_column("accounts", sa.Column("phone_verified_at", sa.DateTime(timezone=True)), schema="identity")
    op.add_column("accounts", sa.Column("email_verified_at", sa.DateTime(timezone=True)), schema="identity")
    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("family_id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("secret_digest", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        schema="identity",
    )
    op.create_index(op.f("ix_refresh_tokens_family_id"), "refresh_tokens", ["family_id"], schema="identity")
    op.create_index(op.f("ix_refresh_tokens_account_id"), "refresh_tokens", ["account_id"], schema="identity")


def downgrade() -> None:
    op.drop_table("refresh_tokens", schema="identity")
    op.drop_column("accounts", "email_verified_at", schema="identity")
    op.drop_column("accounts", "phone_verified_at", schema="identity")
    op.drop_column("accounts", "activating_institution_id", schema="identity")
