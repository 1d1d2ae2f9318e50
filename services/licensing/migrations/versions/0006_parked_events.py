"""events the consumer parked until what they depend on arrives, instead of holding its partitions

Revision ID: 0006
Revises: 0005
"""

from regsys_runtime.migrations import create_parked_events, drop_parked_events

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_parked_events("licensing")


def downgrade() -> None:
    drop_parked_events("licensing")
