"""events the consumer parked until what they depend on arrives, instead of holding its partitions

Revision ID: 0005
Revises: 0004
"""

from regsys_runtime.migrations import create_parked_events, drop_parked_events

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_parked_events("identity")


def downgrade() -> None:
    drop_parked_events("identity")
