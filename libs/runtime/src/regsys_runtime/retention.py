"""Retention of the messaging tables: what is no longer needed is deleted, on a schedule, in every service.

- Published outbox rows, once older than the outbox window (default one hour). The broker has them; some
  carry one-time codes and personal data, so they do not stay in the database longer than a look back needs.
  Unpublished rows are never touched, however old: they are the events still owed to the broker.
- Inbox rows (the ids of applied events), once older than the inbox window, which must be at least as long as
  the broker keeps messages (default seven days, Kafka's default): an event the broker can still redeliver
  must still find its row, or it would be applied twice.

Safe with replicas: each batch is one short transaction whose rows are claimed with `FOR UPDATE SKIP LOCKED`,
so two replicas' jobs delete disjoint rows and never wait on each other, nor on the relay.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Delete, Table, delete, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from regsys_runtime.messaging_tables import MessagingTables
from regsys_runtime.metrics import Metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionWindows:
    outbox_seconds: float
    inbox_seconds: float
    batch_size: int = 1000


def _older_than(seconds: float) -> ColumnElement[datetime]:
    """The cutoff by the database's clock, the one that stamped published_at and applied_at."""
    return func.now() - timedelta(seconds=seconds)


async def purge_published_outbox(engine: AsyncEngine, outbox: Table, *, older_than_seconds: float, batch: int) -> int:
    """Delete published outbox rows older than the window, batch by batch; returns how many went."""
    doomed = (
        select(outbox.c.id)
        .where(outbox.c.published_at.is_not(None), outbox.c.published_at < _older_than(older_than_seconds))
        .limit(batch)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return await _in_batches(engine, delete(outbox).where(outbox.c.id.in_(doomed)), batch)


async def purge_applied_inbox(engine: AsyncEngine, inbox: Table, *, older_than_seconds: float, batch: int) -> int:
    """Delete inbox rows older than the window, batch by batch; returns how many went."""
    key = tuple_(inbox.c.consumer, inbox.c.event_id)
    doomed = (
        select(inbox.c.consumer, inbox.c.event_id)
        .where(inbox.c.applied_at < _older_than(older_than_seconds))
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    return await _in_batches(engine, delete(inbox).where(key.in_(doomed)), batch)


async def _in_batches(engine: AsyncEngine, statement: Delete, batch: int) -> int:
    total = 0
    while True:
        async with engine.begin() as conn:
            deleted = (await conn.execute(statement)).rowcount or 0
        total += deleted
        if deleted < batch:
            return total
        await asyncio.sleep(0)  # let requests in between batches


async def purge_once(engine: AsyncEngine, messaging: MessagingTables, windows: RetentionWindows) -> dict[str, int]:
    """One round of retention over a service's outbox and inbox; how many rows each table lost."""
    outbox = await purge_published_outbox(
        engine, messaging.outbox, older_than_seconds=windows.outbox_seconds, batch=windows.batch_size
    )
    inbox = await purge_applied_inbox(
        engine, messaging.inbox, older_than_seconds=windows.inbox_seconds, batch=windows.batch_size
    )
    return {"outbox": outbox, "inbox": inbox}


async def run_retention(
    engine: AsyncEngine, messaging: MessagingTables, windows: RetentionWindows, *, interval_seconds: float,
    metrics: Metrics,
) -> None:  # fmt: skip
    """Purge every `interval_seconds` until cancelled (a supervised part of the runtime)."""
    while True:
        purged = await purge_once(engine, messaging, windows)
        for table, rows in purged.items():
            metrics.retention_purged.labels(metrics.service, table).inc(rows)
        if any(purged.values()):
            log.info("retention purged rows", extra={"purged": purged})
        await asyncio.sleep(interval_seconds)
