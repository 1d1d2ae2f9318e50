"""institutions and reviews

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
        "activation_requests",
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("institution_id", sa.UUID(), nullable=False),
        sa.Column("real_name", sa.Text(), nullable=False),
        sa.Column("id_number_masked", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "institution_id", name=op.f("pk_activation_requests")),
        schema="institutions",
    )
    op.create_table(
        "institutions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("credit_code", sa.Text(), nullable=False),
        sa.Column("licence_number", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("auto_activation", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_institutions_credit_code")),
        schema="institutions",
    )
    op.create_table(
        "review_tasks",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("institution_id", sa.UUID(), nullable=False),
        sa.Column("application_type", sa.Text(), nullable=False),
        sa.Column("physician_name", sa.Text(), nullable=False),
        sa.Column("id_number_masked", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reviewer_id", sa.UUID(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_tasks")),
        sa.UniqueConstraint("application_id", name=op.f("uq_review_tasks_application_id")),
        schema="institutions",
    )
    op.create_index(
        op.f("ix_institutions_review_tasks_institution_id"),
        "review_tasks",
        ["institution_id"],
        unique=False,
        schema="institutions",
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_institutions_review_tasks_institution_id"), table_name="review_tasks", schema="institutions")
    op.drop_table("review_tasks", schema="institutions")
    op.drop_table("institutions", schema="institutions")
    op.drop_table("activation_requests", schema="institutions")
