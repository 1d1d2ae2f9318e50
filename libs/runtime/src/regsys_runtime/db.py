"""Database access: one async engine per service, typed metadata per schema, the unit of work."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from sqlalchemy import ColumnElement, MetaData, event, exc, func, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from contracts import Envelope, Event
from regsys_runtime.logs import current_correlation_id
from regsys_runtime.messaging_tables import TRACE_KEY, MessagingTables
from regsys_runtime.tracing import current_trace_headers

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_metadata(schema: str) -> MetaData:
    """Metadata for the tables of one service's schema, with stable constraint names."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def containing(column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    """The column holds the text whatever its case, its % and _ meaning themselves (what a list's search matches)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


POOL_RECYCLE_SECONDS = 1800  # under the idle timeouts of firewalls and proxies between a service and Postgres


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int | None = None) -> AsyncEngine:
    """The service's engine: at most `pool_size` kept connections and `max_overflow` (default as many again) opened
    for bursts. A connection Postgres has closed (a restart, `pg_terminate_backend`, an idle timeout) is replaced when
    it is taken from the pool, at no cost to the others: no ping before each use, which cost every unit of work three
    round trips (BEGIN, a ping, ROLLBACK). Connections are renewed after `POOL_RECYCLE_SECONDS`, before a silent
    middlebox can drop them. A connection lost in the middle of a statement fails that request and makes the pool
    replace every connection it holds (SQLAlchemy's invalidation)."""
    overflow = pool_size if max_overflow is None else max_overflow
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=overflow, pool_pre_ping=False, pool_recycle=POOL_RECYCLE_SECONDS
    )
    event.listen(engine.sync_engine, "checkout", _refuse_closed_connection)
    return engine


def _refuse_closed_connection(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """A connection whose socket the server closed while it sat in the pool is known closed without a round trip
    (asyncpg saw the end of the stream); DisconnectionError makes the pool retry with a new connection."""
    if record.driver_connection.is_closed():
        raise exc.DisconnectionError("the database closed this pooled connection")


class Reads:
    """A session for use cases that only read; `async with` opens it and closes it again.

    Built on an autocommit engine (`reading_engine`), each statement is its own transaction: a read is one round
    trip, with no BEGIN before it and no ROLLBACK after. Two reads in it need not see the same snapshot, so a use
    case whose reads must agree, or that writes, takes a UnitOfWork.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self.session
        try:
            await session.rollback()  # a no-op after commit; undoes anything left uncommitted
        finally:
            await session.close()
            self._session = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open; use `async with uow:`")
        return self._session


def reading_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool as `engine`, each statement committed on its own (what `Reads` is built on)."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")


class UnitOfWork(Reads):
    """One database transaction and the events it causes; the only thing that commits.

    Events added with :meth:`publish` are written to the outbox in the same transaction as the change,
    so they are published if and only if the change commits.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, producer: str, messaging: MessagingTables
    ) -> None:
        super().__init__(sessions)
        self._producer = producer
        self._messaging = messaging
        self._pending: list[tuple[Envelope, dict[str, str]]] = []

    async def __aenter__(self) -> Self:
        self._pending = []
        return await super().__aenter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            await super().__aexit__(exc_type, exc, tb)
        finally:
            self._pending = []

    def publish(self, event: Event, *, subject_id: Any) -> Envelope:
        """Queue an event for the outbox; it is written when the unit of work commits."""
        envelope = Envelope.wrap(
            event, producer=self._producer, subject_id=str(subject_id), correlation_id=current_correlation_id()
        )
        self._pending.append((envelope, current_trace_headers()))
        return envelope

    @property
    def pending_outbox_rows(self) -> list[dict[str, Any]]:
        """The outbox rows `commit` will write: the events published so far, each with the trace that caused it."""
        return [outbox_row(e, trace=t) for e, t in self._pending]

    async def commit(self) -> None:
        if self._pending:
            await self.session.execute(insert(self._messaging.outbox), self.pending_outbox_rows)
        await self.session.commit()
        self._pending = []

    async def record_applied(self, *, consumer: str, envelope: Envelope) -> bool:
        """Mark an event applied by a consumer; False if it was applied before (a redelivery)."""
        inbox = self._messaging.inbox
        stmt = (
            pg_insert(inbox)
            # the time stated here, not by the column's default: schemas made before that default was fixed hold
            # a constant (their migration's time), and retention would take every row as a week old
            .values(
                consumer=consumer, event_id=envelope.event_id, event_type=envelope.event_type, applied_at=func.now()
            )
            .on_conflict_do_nothing()
            .returning(inbox.c.event_id)
        )
        return (await self.session.execute(stmt)).first() is not None


def outbox_row(envelope: Envelope, *, trace: dict[str, str] | None = None) -> dict[str, Any]:
    """The outbox row of an event; `trace` is the context of the work that caused it (tracing.py)."""
    stored = envelope.model_dump(mode="json")
    if trace:
        stored[TRACE_KEY] = trace
    return {
        "event_id": envelope.event_id,
        "topic": envelope.topic.value,
        "key": envelope.subject_id,
        "event_type": envelope.event_type,
        "envelope": stored,
        "created_at": envelope.occurred_at,
    }
