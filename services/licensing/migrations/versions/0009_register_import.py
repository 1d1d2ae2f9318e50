"""the register imported from the previous system: who each imported registration waits for (its qualification
certificate code and masked ID number) until the physician's account claims it, and the institutions' unified
social credit codes, by which the previous system's export names them

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

S = "licensing"


def upgrade() -> None:
    op.add_column("institutions", sa.Column("credit_code", sa.Text(), nullable=True), schema=S)
    op.create_index("ix_institutions_credit_code", "institutions", ["credit_code"], schema=S)
    op.create_table(
        "register_claims",
        sa.Column("account_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("certificate_number", sa.Text(), nullable=False, unique=True),
        sa.Column("qualification_code", sa.Text(), nullable=False, unique=True),
        sa.Column("id_number_masked", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", UUID(as_uuid=True), nullable=True, unique=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        schema=S,
    )


def downgrade() -> None:
    op.drop_table("register_claims", schema=S)
    op.drop_index("ix_institutions_credit_code", "institutions", schema=S)
    op.drop_column("institutions", "credit_code", schema=S)
