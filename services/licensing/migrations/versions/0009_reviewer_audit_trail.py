"""the append-only audit trail of officers' decisions and operators' key rotations

Revision ID: 0009
Revises: 0008
"""

from regsys_runtime.migrations import create_audit_trail, drop_audit_trail

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_trail("licensing")


def downgrade() -> None:
    drop_audit_trail("licensing")
