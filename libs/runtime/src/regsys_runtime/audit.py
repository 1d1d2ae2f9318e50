"""A service's audit trail of operator and reviewer actions: who did what, when, and from which client address.

Append-only: an entry is written in the same transaction as the action it records (no action without its entry, no
entry for an action that did not happen), and the database refuses to change or delete one (`APPEND_ONLY_SQL`,
run by the migration that creates the table).
"""

from __future__ import annotations

import getpass
import socket
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field
from sqlalchemy import Column, DateTime, Index, MetaData, Table, Text, func, insert, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import Role
from regsys_runtime.auth import Principal
from regsys_runtime.paging import Page, Window
from regsys_runtime.schemas import Schema


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: the client address as the gateway saw it, or the command line's user and host."""

    account_id: UUID | None  # None: an operator at the service's command line, who signs in nowhere
    role: Role
    address: str | None

    @classmethod
    def of(cls, principal: Principal, address: str | None) -> Actor:
        return cls(account_id=principal.account_id, role=principal.role, address=address)

    @classmethod
    def command_line(cls) -> Actor:
        return cls(account_id=None, role=Role.ADMIN, address=f"command line {getpass.getuser()}@{socket.gethostname()}")


@dataclass(frozen=True)
class AuditEntry:
    id: UUID
    at: datetime
    actor_id: UUID | None
    actor_role: Role
    address: str | None
    action: str  # `<object>.<past tense>`, one of the service's own actions
    subject_id: UUID | None  # what was acted on: an account, a task, a key's rotation
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditQuery:
    """Which entries to read: all, or those of one actor, one action, one subject."""

    actor_id: UUID | None = None
    action: str | None = None
    subject_id: UUID | None = None


def audit_table(metadata: MetaData) -> Table:
    """The `audit_trail` table in the service's schema."""
    schema = metadata.schema
    return Table(
        "audit_trail",
        metadata,
        Column("id", PgUUID(as_uuid=True), primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor_id", PgUUID(as_uuid=True)),
        Column("actor_role", Text, nullable=False),
        Column("address", Text),
        Column("action", Text, nullable=False),
        Column("subject_id", PgUUID(as_uuid=True)),
        Column("details", JSONB, nullable=False),
        Index(f"ix_{schema}_audit_trail_at", "at"),
        Index(f"ix_{schema}_audit_trail_actor", "actor_id", "at"),
    )


def append_only_sql(schema: str) -> tuple[str, ...]:
    """The function and triggers that refuse UPDATE, DELETE and TRUNCATE on `<schema>.audit_trail` (one statement
    each: the driver prepares what it runs)."""
    refuse = f"{schema}.audit_trail_append_only"
    return (
        f"""CREATE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{schema}.audit_trail is append-only: % refused', TG_OP;
        END
        $$""",
        f"""CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON {schema}.audit_trail
        FOR EACH ROW EXECUTE FUNCTION {refuse}()""",
        f"""CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON {schema}.audit_trail
        FOR EACH STATEMENT EXECUTE FUNCTION {refuse}()""",
    )


async def note(
    session: AsyncSession, table: Table, actor: Actor, action: str, *, at: datetime, subject_id: UUID | None,
    **details: Any,
) -> None:  # fmt: skip
    """Append an entry in the caller's transaction: it commits with the action it records, or not at all."""
    entry = AuditEntry(
        id=uuid.uuid4(), at=at, actor_id=actor.account_id, actor_role=actor.role, address=actor.address,
        action=action, subject_id=subject_id, details=details,
    )  # fmt: skip
    await session.execute(insert(table).values(**asdict(entry)))


async def entries(session: AsyncSession, table: Table, *, query: AuditQuery, window: Window) -> Page[AuditEntry]:
    """One window of the entries that match, newest first, and how many match in all."""
    wanted = {"actor_id": query.actor_id, "action": query.action, "subject_id": query.subject_id}
    where = [table.c[name] == value for name, value in wanted.items() if value is not None]
    total = await session.scalar(select(func.count()).select_from(table).where(*where))
    listed = select(table).where(*where).order_by(table.c.at.desc(), table.c.id)
    rows = await session.execute(listed.limit(window.limit).offset(window.offset))
    found = [AuditEntry(**{**row, "actor_role": Role(row.actor_role)}) for row in rows.mappings()]
    return Page(found, int(total or 0))


class AuditEntryRead(Schema):
    """One entry of a service's audit trail, as its `GET /admin/audit-trail` lists them."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    at: datetime
    actor_id: UUID | None = Field(description="The operator's or reviewer's account; none at the command line.")
    actor_role: Role
    address: str | None = Field(description="The client address the request came from, or the command line's.")
    action: str
    subject_id: UUID | None
    details: dict[str, Any]
