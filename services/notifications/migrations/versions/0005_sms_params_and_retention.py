"""deliveries: an SMS's template parameters (for template providers such as Aliyun), and retention's erasure

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


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("sms_params", postgresql.JSONB(), nullable=True), schema="notifications")
    op.add_column(
        "deliveries", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True), schema="notifications"
    )
    op.create_index(
        "ix_deliveries_to_erase",
        "deliveries",
        ["finished_at"],
        schema="notifications",
        postgresql_where=sa.text("status != 'pending' AND erased_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_to_erase", table_name="deliveries", schema="notifications")
    op.drop_column("deliveries", "erased_at", schema="notifications")
    op.drop_column("deliveries", "sms_params", schema="notifications")
