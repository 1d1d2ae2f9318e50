"""a withdrawal the physician asked for, kept beside the status until the reviewing institution settles it

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

S = "applications"


def upgrade() -> None:
    op.add_column(
        "applications", sa.Column("withdrawal_requested_at", sa.DateTime(timezone=True), nullable=True), schema=S
    )
    op.add_column("applications", sa.Column("withdrawal_reason", sa.Text(), nullable=True), schema=S)


def downgrade() -> None:
    op.drop_column("applications", "withdrawal_reason", schema=S)
    op.drop_column("applications", "withdrawal_requested_at", schema=S)
