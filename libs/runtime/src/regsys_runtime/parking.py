"""Events that came before what they depend on: parked in the service's schema, retried, and applied once.

The consumer applies one message at a time, so an event that waited in it for its prerequisite would hold every
partition of the service behind it, the partition that carries the prerequisite and the ending of sessions
included. Instead a handler that refuses with `NotYet` has its message kept here, as it came, and the consumer
goes on. Kept events are retried with backoff (and at once when an event about the same subject has just been
applied, which is usually the prerequisite); each retry is one transaction that applies the event, records it
in the inbox and deletes it from here. One whose prerequisite has not come by its deadline goes to the
dead-letter topic, from where an operator may redrive it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

PARKED_BACKOFF_FIRST_SECONDS = 1.0
PARKED_BACKOFF_MAX_SECONDS = 60.0


class Received(Protocol):
    """A message as the broker delivered it: aiokafka's ConsumerRecord, or one taken out of the parked table."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes: ...
    @property
    def headers(self) -> Any: ...


@dataclass(frozen=True)
class Kept:
    """A parked message, and how often it was tried."""

    id: int
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]
    tries: int
    overdue: bool  # its prerequisite did not come in time


def _headers_json(headers: Any) -> list[list[str]]:
    return [[name, base64.b64encode(value or b"").decode()] for name, value in headers or ()]


def retry_delay(tries: int) -> timedelta:
    """How long after its `tries`-th failed try a parked event is tried again: doubling, up to a ceiling."""
    return timedelta(seconds=min(PARKED_BACKOFF_FIRST_SECONDS * 2 ** (tries - 1), PARKED_BACKOFF_MAX_SECONDS))


@dataclass(frozen=True)
class ParkedEvents:
    """The parked events of one consumer group, in its service's schema."""

    table: Table
    consumer: str
    wait: timedelta  # how long a prerequisite may be late

    async def park(
        self, session: AsyncSession, record: Received, *, event_id: Any, event_type: str, reason: str
    ) -> None:
        now = func.now()
        values = {
            "consumer": self.consumer, "event_id": event_id, "event_type": event_type,
            "key": (record.key or b"").decode(), "topic": record.topic, "partition": record.partition,
            "offset": record.offset, "message": record.value, "headers": _headers_json(record.headers),
            "reason": reason, "tries": 1, "parked_at": now, "retry_at": now + retry_delay(1),
            "give_up_at": now + self.wait,
        }  # fmt: skip
        await session.execute(pg_insert(self.table).values(**values).on_conflict_do_nothing())

    async def due_now_for(self, session: AsyncSession, key: str) -> bool:
        """Make the events parked under `key` due at once; True if there were any."""
        c = self.table.c
        stmt = update(self.table).where(c.consumer == self.consumer, c.key == key).values(retry_at=func.now())
        return bool((await session.execute(stmt)).rowcount)  # type: ignore[attr-defined]

    async def take_due(self, session: AsyncSession) -> Kept | None:
        """The next due event, locked for this transaction (another replica skips it)."""
        c = self.table.c
        stmt = (
            select(self.table, (c.give_up_at <= func.now()).label("overdue"))
            .where(c.consumer == self.consumer, c.retry_at <= func.now())
            .order_by(c.retry_at, c.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=self.table)
        )
        row = (await session.execute(stmt)).mappings().first()
        if row is None:
            return None
        headers = tuple((name, base64.b64decode(value)) for name, value in row["headers"])
        return Kept(
            id=row["id"], topic=row["topic"], partition=row["partition"], offset=row["offset"],
            key=row["key"].encode() or None, value=row["message"], headers=headers, tries=row["tries"],
            overdue=row["overdue"],
        )  # fmt: skip

    async def drop(self, session: AsyncSession, kept: Kept) -> None:
        await session.execute(self.table.delete().where(self.table.c.id == kept.id))

    async def postpone(self, session: AsyncSession, kept: Kept, *, reason: str) -> None:
        tries = kept.tries + 1
        stmt = (
            update(self.table)
            .where(self.table.c.id == kept.id)
            .values(tries=tries, reason=reason, retry_at=func.now() + retry_delay(tries))
        )
        await session.execute(stmt)

    async def count(self, session: AsyncSession) -> int:
        stmt = select(func.count()).select_from(self.table).where(self.table.c.consumer == self.consumer)
        return int((await session.execute(stmt)).scalar_one())
