"""the roster of physicians per institution

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
    op.create_table(
        "roster",
        sa.Column("institution_id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("physician_name", sa.Text(), nullable=True),
        sa.Column("id_number_masked", sa.Text(), nullable=True),
        sa.Column("certificate_number", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("registration_status", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "account_id", name=op.f("pk_roster")),
        schema="institutions",
    )
    op.create_index(
        op.f("ix_institutions_roster_account_id"), "roster", ["account_id"], unique=False, schema="institutions"
    )
    op.create_index(
        "ix_institutions_review_tasks_queue",
        "review_tasks",
        ["institution_id", "status", "application_type", "opened_at"],
        schema="institutions",
    )


def downgrade() -> None:
    op.drop_index("ix_institutions_review_tasks_queue", table_name="review_tasks", schema="institutions")
    op.drop_index(op.f("ix_institutions_roster_account_id"), table_name="roster", schema="institutions")
    op.drop_table("roster", schema="institutions")
