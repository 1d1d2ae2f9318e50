"""the regional queue's index: region code, status and due day, for the range of codes under an officer's region

The single-column index on region_code served no queue: the queue asked for `region_code LIKE prefix%`, which the
planner cannot turn into an index range under the database's collation, so with five million tasks every page of
the queue read the whole table. The queue now asks for a range of codes, and this index also finds the open tasks
among them without reading the table's rows.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_licensing_authority_tasks_queue",
        "authority_tasks",
        ["region_code", "status", "due_on"],
        schema="licensing",
    )
    op.drop_index("ix_licensing_authority_tasks_region_code", table_name="authority_tasks", schema="licensing")


def downgrade() -> None:
    op.create_index("ix_licensing_authority_tasks_region_code", "authority_tasks", ["region_code"], schema="licensing")
    op.drop_index("ix_licensing_authority_tasks_queue", table_name="authority_tasks", schema="licensing")
