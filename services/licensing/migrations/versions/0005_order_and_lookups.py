"""events in any order and read models that only move forward; indexes for the per-physician lookups

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

S = "licensing"


def upgrade() -> None:
    op.add_column("institutions", sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True), schema=S)
    op.add_column("applications", sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True), schema=S)
    op.add_column("applications", sa.Column("end_reason", sa.Text(), nullable=True), schema=S)
    op.add_column(
        "registrations", sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False), schema=S
    )
    op.create_index(op.f("ix_licensing_applications_account_id"), "applications", ["account_id"], schema=S)
    op.create_index(op.f("ix_licensing_authority_tasks_account_id"), "authority_tasks", ["account_id"], schema=S)
    op.create_index(
        op.f("ix_licensing_registration_history_certificate_number"),
        "registration_history",
        ["certificate_number"],
        schema=S,
    )
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


def downgrade() -> None:
    op.drop_index(op.f("ix_licensing_early_events_application_id"), table_name="early_events", schema=S)
    op.drop_table("early_events", schema=S)
    op.drop_index(
        op.f("ix_licensing_registration_history_certificate_number"), table_name="registration_history", schema=S
    )
    op.drop_index(op.f("ix_licensing_authority_tasks_account_id"), table_name="authority_tasks", schema=S)
    op.drop_index(op.f("ix_licensing_applications_account_id"), table_name="applications", schema=S)
    op.drop_column("registrations", "version", schema=S)
    op.drop_column("applications", "end_reason", schema=S)
    op.drop_column("applications", "ended_at", schema=S)
    op.drop_column("institutions", "recorded_at", schema=S)
