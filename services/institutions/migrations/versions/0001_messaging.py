"""The outbox and inbox.

Revision ID: 0001
Revises:
"""

from regsys_runtime.migrations import create_messaging, drop_messaging

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging("institutions")


def downgrade() -> None:
    drop_messaging("institutions")
