"""the append-only audit trail of officers' decisions and operators' key rotations

Revision ID: 0010
Revises: 0009
"""

from regsys_runtime.migrations import create_audit_trail, drop_audit_trail

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_trail("licensing")


def downgrade() -> None:
    drop_audit_trail("licensing")
