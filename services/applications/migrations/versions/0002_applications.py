"""applications

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
        "application_history",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_history")),
        schema="applications",
    )
    op.create_index(
        op.f("ix_applications_application_history_application_id"),
        "application_history",
        ["application_id"],
        unique=False,
        schema="applications",
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("application_type", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("institution_id", sa.UUID(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        schema="applications",
    )
    op.create_index(
        op.f("ix_applications_applications_account_id"),
        "applications",
        ["account_id"],
        unique=False,
        schema="applications",
    )
    op.create_table(
        "physicians",
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("real_name", sa.Text(), nullable=False),
        sa.Column("id_number_masked", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("account_status", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_physicians")),
        schema="applications",
    )
    op.create_table(
        "registrations",
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("certificate_number", sa.Text(), nullable=False),
        sa.Column("main_institution_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_registrations")),
        schema="applications",
    )


def downgrade() -> None:
    op.drop_table("registrations", schema="applications")
    op.drop_table("physicians", schema="applications")
    op.drop_index(op.f("ix_applications_applications_account_id"), table_name="applications", schema="applications")
    op.drop_table("applications", schema="applications")
    op.drop_index(
        op.f("ix_applications_application_history_application_id"),
        table_name="application_history",
        schema="applications",
    )
    op.drop_table("application_history", schema="applications")
