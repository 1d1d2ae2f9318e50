"""the register's version of each physician's roster rows, so an older snapshot arriving late changes nothing

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

S = "institutions"


def upgrade() -> None:
    op.create_table(
        "roster_versions",
        sa.Column("account_id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("register_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_roster_versions"),
        schema=S,
    )


def downgrade() -> None:
    op.drop_table("roster_versions", schema=S)
