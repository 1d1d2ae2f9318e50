"""events the consumer parked until what they depend on arrives, instead of holding its partitions

Revision ID: 0007
Revises: 0006
"""

from regsys_runtime.migrations import create_parked_events, drop_parked_events

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_parked_events("institutions")


def downgrade() -> None:
    drop_parked_events("institutions")
