"""login names unique without regard to case; a verified phone on one account only

Revision ID: 0004
Revises: 0003

Accounts that exist already may clash under the new rules; they are settled before the indexes are made:
- login names equal but for case: the oldest account keeps its name; each later one gets its name (cut to 25
  characters) followed by `-` and the first six hex digits of its account id, which fits the 32-character limit.
  The accounts renamed are logged by id so an operator can tell their owners.
- one phone verified on several accounts that are not disabled: the first to verify it keeps it verified; on the
  others the phone stays on file but unverified (so it recovers no password there), and verifying it again is
  refused while the first account holds it.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

RENAME_CASE_DUPLICATES = """
WITH ranked AS (
    SELECT id, row_number() OVER (PARTITION BY lower(login_name) ORDER BY created_at, id) AS n
    FROM identity.accounts
)
UPDATE identity.accounts AS a
SET login_name = left(a.login_name, 25) || '-' || left(replace(a.id::text, '-', ''), 6)
FROM ranked AS r
WHERE a.id = r.id AND r.n > 1
RETURNING a.id
"""

UNVERIFY_SHARED_PHONES = """
WITH ranked AS (
    SELECT id, row_number() OVER (PARTITION BY phone ORDER BY phone_verified_at, created_at, id) AS n
    FROM identity.accounts
    WHERE phone_verified_at IS NOT NULL AND status <> 'disabled'
)
UPDATE identity.accounts AS a
SET phone_verified_at = NULL
FROM ranked AS r
WHERE a.id = r.id AND r.n > 1
RETURNING a.id
"""

VERIFIED_PHONE = "phone_verified_at IS NOT NULL AND status <> 'disabled'"


def upgrade() -> None:
    bind = op.get_bind()
    renamed = [str(row.id) for row in bind.execute(sa.text(RENAME_CASE_DUPLICATES))]
    if renamed:
        log.warning("login names equal but for case: renamed the later accounts %s", ", ".join(renamed))
    unverified = [str(row.id) for row in bind.execute(sa.text(UNVERIFY_SHARED_PHONES))]
    if unverified:
        log.warning("a phone verified on several accounts: unverified it on %s", ", ".join(unverified))
    op.drop_constraint("uq_accounts_login_name", "accounts", schema="identity", type_="unique")
    op.create_index(
        "uq_accounts_login_name_lower", "accounts", [sa.text("lower(login_name)")], unique=True, schema="identity"
    )
    op.create_index(
        "uq_accounts_verified_phone", "accounts", ["phone"], unique=True, schema="identity",
        postgresql_where=sa.text(VERIFIED_PHONE),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("uq_accounts_verified_phone", "accounts", schema="identity")
    op.drop_index("uq_accounts_login_name_lower", "accounts", schema="identity")
    op.create_unique_constraint("uq_accounts_login_name", "accounts", ["login_name"], schema="identity")
