"""the append-only audit trail of operator actions; the status a disabled account had, for enabling it again

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from regsys_runtime.migrations import create_audit_trail, drop_audit_trail

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_trail("identity")
    op.add_column("accounts", sa.Column("status_before_disabled", sa.Text()), schema="identity")


def downgrade() -> None:
    op.drop_column("accounts", "status_before_disabled", schema="identity")
    drop_audit_trail("identity")
