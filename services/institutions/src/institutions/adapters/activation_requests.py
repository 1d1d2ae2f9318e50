"""Reading and writing activation requests (one per physician and institution)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import ActivationMethod, PracticeCategory
from institutions.adapters.tables import activation_requests
from institutions.domain.activation import ActivationRequest, RequestStatus
from regsys_runtime.paging import Page, Window

KEY = ("account_id", "institution_id")
STATE = ("status", "decided_at", "decided_by", "reason", "method", "activated_at")


def _request(row: RowMapping) -> ActivationRequest:
    category = PracticeCategory(row.category) if row.category else None
    method = ActivationMethod(row.method) if row.method else None
    return ActivationRequest(**{**row, "status": RequestStatus(row.status), "category": category, "method": method})


async def put_request(session: AsyncSession, request: ActivationRequest) -> None:
    """Insert the request, or replace the one the physician made before at this institution."""
    values = asdict(request)
    statement = pg_insert(activation_requests).values(**values)
    changes = {k: v for k, v in values.items() if k not in KEY}
    await session.execute(statement.on_conflict_do_update(index_elements=list(KEY), set_=changes))


async def requests_at(
    session: AsyncSession, *, institution_id: UUID | None, status: RequestStatus | None, window: Window
) -> Page[ActivationRequest]:
    """One window of the institution's requests (or those of one status), oldest first, and their total."""
    where = [activation_requests.c.institution_id == institution_id]
    if status is not None:
        where.append(activation_requests.c.status == status)
    total = await session.scalar(select(func.count()).select_from(activation_requests).where(*where))
    query = select(activation_requests).where(*where)
    query = query.order_by(activation_requests.c.requested_at, activation_requests.c.account_id)
    result = await session.execute(query.limit(window.limit).offset(window.offset))
    return Page([_request(row) for row in result.mappings()], int(total or 0))


async def requests_of_account(
    session: AsyncSession, *, account_id: UUID, institution_id: UUID | None
) -> list[ActivationRequest]:
    """The physician's requests (at one institution, or at every one), locked until the transaction ends."""
    query = select(activation_requests).where(activation_requests.c.account_id == account_id)
    if institution_id is not None:
        query = query.where(activation_requests.c.institution_id == institution_id)
    result = await session.execute(query.order_by(activation_requests.c.institution_id).with_for_update())
    return [_request(row) for row in result.mappings()]


async def request_for_update(
    session: AsyncSession, *, account_id: UUID, institution_id: UUID | None
) -> ActivationRequest | None:
    """The request, locked until the transaction ends so two staff cannot decide it at once."""
    query = (
        select(activation_requests)
        .where(activation_requests.c.account_id == account_id)
        .where(activation_requests.c.institution_id == institution_id)
        .with_for_update()
    )
    row = (await session.execute(query)).mappings().first()
    return _request(row) if row else None


async def save_state(session: AsyncSession, request: ActivationRequest) -> None:
    """Store what was decided or learnt about the request (who asked, and when, stay as they are)."""
    values = {k: v for k, v in asdict(request).items() if k in STATE}
    await session.execute(
        update(activation_requests)
        .where(activation_requests.c.account_id == request.account_id)
        .where(activation_requests.c.institution_id == request.institution_id)
        .values(**values)
    )


async def grant_pending(session: AsyncSession, *, institution_id: UUID, at: datetime) -> list[UUID]:
    """Grant every request still pending at the institution; the physicians whose requests it granted."""
    granted = await session.execute(
        update(activation_requests)
        .where(activation_requests.c.institution_id == institution_id)
        .where(activation_requests.c.status == RequestStatus.PENDING)
        .values(status=RequestStatus.GRANTED, decided_at=at, method=ActivationMethod.AUTOMATIC)
        .returning(activation_requests.c.account_id)
    )
    return [account_id for (account_id,) in granted.all()]
