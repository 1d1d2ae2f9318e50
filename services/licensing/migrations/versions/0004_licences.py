"""electronic licences: signing keys, holders' register snapshots, licences and their status indexes

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

S = "licensing"


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("licence_status_index", schema=S, start=0, minvalue=0)))
    op.execute(sa.schema.CreateSequence(sa.Sequence("licence_status_version", schema=S)))
    op.create_table(
        "licence_signing_keys",
        sa.Column("kid", sa.Text(), nullable=False),
        sa.Column("private_key_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("public_jwk", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_licence_signing_keys")),
        schema=S,
    )
    op.create_table(
        "licence_holders",
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("register", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_licence_holders")),
        schema=S,
    )
    op.create_table(
        "licences",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("certificate_number", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("kid", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("shown", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status_version",
            sa.BigInteger(),
            server_default=sa.text("nextval('licensing.licence_status_version')"),
            nullable=False,
        ),
        sa.Column("superseded_by", sa.UUID(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licences")),
        sa.UniqueConstraint("number", name=op.f("uq_licences_number")),
        sa.UniqueConstraint("status_index", name=op.f("uq_licences_status_index")),
        schema=S,
    )
    op.create_index(op.f("ix_licensing_licences_account_id"), "licences", ["account_id"], schema=S)
    op.create_index(op.f("ix_licensing_licences_status"), "licences", ["status"], schema=S)
    op.create_index(op.f("ix_licensing_licences_status_version"), "licences", ["status_version"], schema=S)
    op.create_index(
        "uq_licences_one_current_per_account",
        "licences",
        ["account_id"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("status IN ('valid', 'suspended')"),
    )
    # physicians registered before licences existed: their register as the licence will show it
    op.execute(
        """
        INSERT INTO licensing.licence_holders (account_id, register, updated_at)
        SELECT account_id,
               jsonb_build_object(
                   'account_id', account_id, 'certificate_number', certificate_number, 'status', status,
                   'category', category, 'practice_scope', practice_scope,
                   'main_institution_id', main_institution_id, 'multi_sites', '[]'::jsonb,
                   'filed_on', filed_on, 'changed_at', updated_at),
               updated_at
        FROM licensing.registrations
        ON CONFLICT (account_id) DO NOTHING
        """
    )


def downgrade() -> None:
    op.drop_index("uq_licences_one_current_per_account", table_name="licences", schema=S)
    op.drop_index(op.f("ix_licensing_licences_status_version"), table_name="licences", schema=S)
    op.drop_index(op.f("ix_licensing_licences_status"), table_name="licences", schema=S)
    op.drop_index(op.f("ix_licensing_licences_account_id"), table_name="licences", schema=S)
    op.drop_table("licences", schema=S)
    op.drop_table("licence_holders", schema=S)
    op.drop_table("licence_signing_keys", schema=S)
    op.execute(sa.schema.DropSequence(sa.Sequence("licence_status_version", schema=S)))
    op.execute(sa.schema.DropSequence(sa.Sequence("licence_status_index", schema=S)))
