"""each licence keeps the small credential its QR code carries (COSE_Sign1, base45); licences issued before have
none and keep their old QR code (the whole signed licence in the address) until re-issued

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

S = "licensing"


def upgrade() -> None:
    op.add_column("licences", sa.Column("credential", sa.Text(), nullable=True), schema=S)


def downgrade() -> None:
    op.drop_column("licences", "credential", schema=S)
