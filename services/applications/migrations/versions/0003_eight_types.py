"""the eight types: history details, photos, institutions and a fuller register read model

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

S = "applications"


def upgrade() -> None:
    op.add_column("applications", sa.Column("affects", sa.Text(), nullable=True), schema=S)
    op.create_index(
        "uq_applications_one_open_per_part",
        "applications",
        ["account_id", "affects"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("status IN ('submitted', 'institution_review', 'authority_review')"),
    )
    op.add_column("application_history", sa.Column("actor_id", sa.UUID(), nullable=True), schema=S)
    op.add_column("application_history", sa.Column("outcome", sa.Text(), nullable=True), schema=S)
    op.add_column(
        "application_history", sa.Column("late", sa.Boolean(), server_default="false", nullable=False), schema=S
    )
    op.add_column("application_history", sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False), schema=S)
    op.add_column("registrations", sa.Column("filed_on", sa.Date(), nullable=True), schema=S)
    op.add_column("registrations", sa.Column("filing_institution_id", sa.UUID(), nullable=True), schema=S)
    op.add_column(
        "registrations",
        sa.Column("multi_sites", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        schema=S,
    )
    op.add_column("registrations", sa.Column("photo_sha256", sa.Text(), nullable=True), schema=S)
    op.create_table(
        "institutions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        schema=S,
    )
    op.create_table(
        "application_photos",
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("media_type", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_application_photos")),
        schema=S,
    )


def downgrade() -> None:
    op.drop_table("application_photos", schema=S)
    op.drop_table("institutions", schema=S)
    for column in ("photo_sha256", "multi_sites", "filing_institution_id", "filed_on"):
        op.drop_column("registrations", column, schema=S)
    for column in ("seq", "late", "outcome", "actor_id"):
        op.drop_column("application_history", column, schema=S)
    op.drop_index("uq_applications_one_open_per_part", table_name="applications", schema=S)
    op.drop_column("applications", "affects", schema=S)
