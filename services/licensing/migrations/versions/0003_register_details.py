"""the register in full: multi-site filings, history, received materials

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

S = "licensing"


def upgrade() -> None:
    for name, kind in (
        ("filing_institution_id", sa.UUID()),
        ("photo_sha256", sa.Text()),
        ("physician_name", sa.Text()),
        ("id_number_masked", sa.Text()),
    ):
        op.add_column("registrations", sa.Column(name, kind, nullable=True), schema=S)
    op.create_table(
        "multi_site_filings",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("institution_id", sa.UUID(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("cause_application_id", sa.UUID(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_multi_site_filings")),
        schema=S,
    )
    op.create_index(op.f("ix_licensing_multi_site_filings_account_id"), "multi_site_filings", ["account_id"], schema=S)
    op.create_index(op.f("ix_licensing_multi_site_filings_ends_on"), "multi_site_filings", ["ends_on"], schema=S)
    op.create_table(
        "registration_history",
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("certificate_number", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("main_institution_id", sa.UUID(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("cause_application_id", sa.UUID(), nullable=True),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_registration_history")),
        schema=S,
    )
    op.create_index(
        op.f("ix_licensing_registration_history_account_id"), "registration_history", ["account_id"], schema=S
    )
    op.create_table(
        "received_materials",
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("officer_id", sa.UUID(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_id", "code", name=op.f("pk_received_materials")),
        schema=S,
    )


def downgrade() -> None:
    op.drop_table("received_materials", schema=S)
    op.drop_table("registration_history", schema=S)
    op.drop_table("multi_site_filings", schema=S)
    for name in ("id_number_masked", "physician_name", "photo_sha256", "filing_institution_id"):
        op.drop_column("registrations", name, schema=S)
