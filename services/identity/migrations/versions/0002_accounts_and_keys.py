"""accounts and keys

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("login_name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("real_name", sa.Text(), nullable=False),
        sa.Column("id_number_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("id_number_lookup", sa.LargeBinary(), nullable=True),
        sa.Column("id_number_masked", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("institution_id", sa.UUID(), nullable=True),
        sa.Column("region_code", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("id_number_lookup", name=op.f("uq_accounts_id_number_lookup")),
        sa.UniqueConstraint("login_name", name=op.f("uq_accounts_login_name")),
        schema="identity",
    )
    op.create_table(
        "qualifications",
        sa.Column("id_number_lookup", sa.LargeBinary(), nullable=False),
        sa.Column("real_name", sa.Text(), nullable=False),
        sa.Column("certificate_code", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("qualified_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id_number_lookup", name=op.f("pk_qualifications")),
        schema="identity",
    )
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.Text(), nullable=False),
        sa.Column("private_key_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("public_jwk", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_signing_keys")),
        schema="identity",
    )


def downgrade() -> None:
    op.drop_table("signing_keys", schema="identity")
    op.drop_table("qualifications", schema="identity")
    op.drop_table("accounts", schema="identity")
