"""Reading and writing activation requests (one per physician and institution)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import PracticeCategory
from institutions.adapters.tables import activation_requests
from institutions.domain.activation import ActivationRequest, RequestStatus

KEY = ("account_id", "institution_id")


def _request(row: RowMapping) -> ActivationRequest:
    category = PracticeCategory(row.category) if row.category else None
    return ActivationRequest(**{**row, "status": RequestStatus(row.status), "category": category})


async def put_request(session: AsyncSession, request: ActivationRequest) -> None:
    """Insert the request, or replace the one the physician made before at this institution."""
    values = asdict(request)
    statement = pg_insert(activation_requests).values(**values)
    changes = {k: v for k, v in values.items() if k not in KEY}
    await session.execute(statement.on_conflict_do_update(index_elements=list(KEY), set_=changes))


async def requests_at(
    session: AsyncSession, *, institution_id: UUID | None, status: RequestStatus | None
) -> list[ActivationRequest]:
    """The institution's requests, oldest first, or those of one status."""
    query = select(activation_requests).where(activation_requests.c.institution_id == institution_id)
    if status is not None:
        query = query.where(activation_requests.c.status == status)
    result = await session.execute(query.order_by(activation_requests.c.requested_at))
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


async def save_decision(session: AsyncSession, request: ActivationRequest) -> None:
    await session.execute(
        update(activation_requests)
        .where(activation_requests.c.account_id == request.account_id)
        .where(activation_requests.c.institution_id == request.institution_id)
        .values(
            status=request.status, decided_at=request.decided_at, decided_by=request.decided_by, reason=request.reason
        )
    )


async def grant_pending(session: AsyncSession, *, institution_id: UUID, at: datetime) -> list[UUID]:
    """Grant every request still pending at the institution; the physicians whose requests it granted."""
    granted = await session.execute(
        update(activation_requests)
        .where(activation_requests.c.institution_id == institution_id)
        .where(activation_requests.c.status == RequestStatus.PENDING)
        .values(status=RequestStatus.GRANTED, decided_at=at)
        .returning(activation_requests.c.account_id)
    )
    return [account_id for (account_id,) in granted.all()]
