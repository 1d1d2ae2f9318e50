"""register and authority tasks

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
    op.execute(sa.schema.CreateSequence(sa.Sequence("certificate_sequence", schema="licensing")))
    op.create_table(
        "applications",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("application_type", sa.Text(), nullable=False),
        sa.Column("institution_id", sa.UUID(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("physician_name", sa.Text(), nullable=False),
        sa.Column("id_number_masked", sa.Text(), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        schema="licensing",
    )
    op.create_table(
        "authority_tasks",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("officer_id", sa.UUID(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authority_tasks")),
        sa.UniqueConstraint("application_id", name=op.f("uq_authority_tasks_application_id")),
        schema="licensing",
    )
    op.create_index(
        op.f("ix_licensing_authority_tasks_region_code"),
        "authority_tasks",
        ["region_code"],
        unique=False,
        schema="licensing",
    )
    op.create_table(
        "institutions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        schema="licensing",
    )
    op.create_table(
        "registrations",
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("certificate_number", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("practice_scope", sa.Text(), nullable=True),
        sa.Column("main_institution_id", sa.UUID(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("certificate_number", name=op.f("uq_registrations_certificate_number")),
        schema="licensing",
    )


def downgrade() -> None:
    op.drop_table("registrations", schema="licensing")
    op.drop_table("institutions", schema="licensing")
    op.drop_index(op.f("ix_licensing_authority_tasks_region_code"), table_name="authority_tasks", schema="licensing")
    op.drop_table("authority_tasks", schema="licensing")
    op.drop_table("applications", schema="licensing")
    op.execute(sa.schema.DropSequence(sa.Sequence("certificate_sequence", schema="licensing")))
