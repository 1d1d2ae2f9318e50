"""the register's version of each snapshot kept, so an older snapshot arriving late changes nothing

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

S = "applications"


def upgrade() -> None:
    op.add_column(
        "registrations", sa.Column("register_version", sa.Integer(), nullable=False, server_default="0"), schema=S
    )


def downgrade() -> None:
    op.drop_column("registrations", "register_version", schema=S)
