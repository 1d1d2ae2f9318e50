"""how and when an activation request was granted; the append-only audit trail

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

APPEND_ONLY = (  # one statement each: the driver prepares what it runs
    """CREATE FUNCTION institutions.audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'institutions.audit_trail is append-only: % refused', TG_OP;
    END
    $$""",
    """CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON institutions.audit_trail
    FOR EACH ROW EXECUTE FUNCTION institutions.audit_trail_append_only()""",
    """CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON institutions.audit_trail
    FOR EACH STATEMENT EXECUTE FUNCTION institutions.audit_trail_append_only()""",
)


def upgrade() -> None:
    op.add_column("activation_requests", sa.Column("method", sa.Text()), schema="institutions")
    op.add_column("activation_requests", sa.Column("activated_at", sa.DateTime(timezone=True)), schema="institutions")
    op.create_table(
        "audit_trail",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("actor_role", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("institution_id", sa.UUID(), nullable=True),
        sa.Column("subject_id", sa.UUID(), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_trail")),
        schema="institutions",
    )
    op.create_index("ix_institutions_audit_trail_at", "audit_trail", ["at"], schema="institutions")
    op.create_index(
        "ix_institutions_audit_trail_institution", "audit_trail", ["institution_id", "at"], schema="institutions"
    )
    op.create_index("ix_institutions_audit_trail_actor", "audit_trail", ["actor_id", "at"], schema="institutions")
    for statement in APPEND_ONLY:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE institutions.audit_trail")
    op.execute("DROP FUNCTION institutions.audit_trail_append_only()")
    op.drop_column("activation_requests", "activated_at", schema="institutions")
    op.drop_column("activation_requests", "method", schema="institutions")
