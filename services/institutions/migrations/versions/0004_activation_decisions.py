"""activation decisions

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (
    ("category", sa.Text()),
    ("decided_at", sa.DateTime(timezone=True)),
    ("decided_by", sa.UUID()),
    ("reason", sa.Text()),
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("activation_requests", sa.Column(name, kind), schema="institutions")


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.drop_column("activation_requests", name, schema="institutions")
