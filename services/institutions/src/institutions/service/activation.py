"""Activation requests: staff send an activation code or decline; automatic activation grants at once."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from contracts.enums import ActivationMethod, Channel
from contracts.identity.v1 import ActivationRequested
from contracts.institutions.v1 import ActivationDeclined, ActivationGranted
from institutions.adapters.tables import activation_requests, institutions
from institutions.service.institutions import institution_row, recorded
from regsys_runtime.auth import Principal, forbidden
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem

NO_REQUEST = Problem(404, "not-found", "No activation request of this physician at your institution.")


class RequestStatus(StrEnum):
    PENDING = "pending"
    CODE_SENT = "code_sent"  # the physician enters the code at identity
    GRANTED = "granted"  # automatic activation
    DECLINED = "declined"


async def receive_activation_request(*, uow: UnitOfWork, event: ActivationRequested, at: datetime) -> None:
    institution = await institution_row(uow, event.institution_id)
    automatic = institution is not None and institution.auto_activation
    values = {
        "real_name": event.real_name, "id_number_masked": event.id_number_masked, "category": event.category,
        "status": RequestStatus.GRANTED if automatic else RequestStatus.PENDING, "requested_at": at,
        "decided_at": at if automatic else None, "decided_by": None, "reason": None,
    }  # fmt: skip
    statement = pg_insert(activation_requests).values(
        account_id=event.account_id, institution_id=event.institution_id, **values
    )
    # asking again (after a decline, or for a new code) reopens the request
    await uow.session.execute(
        statement.on_conflict_do_update(index_elements=["account_id", "institution_id"], set_=values)
    )
    if automatic:
        event_out = ActivationGranted(
            account_id=event.account_id, institution_id=event.institution_id, method=ActivationMethod.AUTOMATIC
        )
        uow.publish(event_out, subject_id=event.account_id)


async def pending_requests(*, uow: UnitOfWork, staff: Principal, status: RequestStatus | None) -> list[RowMapping]:
    query = select(activation_requests).where(activation_requests.c.institution_id == staff.institution_id)
    if status is not None:
        query = query.where(activation_requests.c.status == status)
    async with uow:
        result = await uow.session.execute(query.order_by(activation_requests.c.requested_at))
        return list(result.mappings().all())


async def _open_request(uow: UnitOfWork, staff: Principal, account_id: UUID) -> RowMapping:
    query = (
        select(activation_requests)
        .where(activation_requests.c.account_id == account_id)
        .where(activation_requests.c.institution_id == staff.institution_id)
        .with_for_update()
    )
    row = (await uow.session.execute(query)).mappings().first()
    if row is None:
        raise NO_REQUEST
    if row.status in (RequestStatus.GRANTED, RequestStatus.DECLINED):
        raise Problem(409, "request-decided", f"This request was {row.status} already.")
    return row


async def _decide(
    uow: UnitOfWork, staff: Principal, account_id: UUID, status: RequestStatus, reason: str | None
) -> None:
    await uow.session.execute(
        update(activation_requests)
        .where(activation_requests.c.account_id == account_id)
        .where(activation_requests.c.institution_id == staff.institution_id)
        .values(status=status, decided_at=datetime.now(UTC), decided_by=staff.account_id, reason=reason)
    )


async def send_activation_code(*, uow: UnitOfWork, staff: Principal, account_id: UUID, channel: Channel) -> None:
    """Identity makes the code and notifications sends it; sending again replaces the previous code."""
    if channel is Channel.INBOX:
        raise Problem(422, "invalid-channel", "An activation code goes by SMS or e-mail.")
    async with uow:
        await _open_request(uow, staff, account_id)
        await _decide(uow, staff, account_id, RequestStatus.CODE_SENT, None)
        assert staff.institution_id is not None
        event = ActivationGranted(
            account_id=account_id, institution_id=staff.institution_id, method=ActivationMethod.ACTIVATION_CODE,
            channel=channel,
        )  # fmt: skip
        uow.publish(event, subject_id=account_id)
        await uow.commit()


async def decline(*, uow: UnitOfWork, staff: Principal, account_id: UUID, reason: str) -> None:
    async with uow:
        await _open_request(uow, staff, account_id)
        await _decide(uow, staff, account_id, RequestStatus.DECLINED, reason)
        assert staff.institution_id is not None
        event = ActivationDeclined(account_id=account_id, institution_id=staff.institution_id, reason=reason)
        uow.publish(event, subject_id=account_id)
        await uow.commit()


async def set_auto_activation(*, uow: UnitOfWork, staff: Principal, institution_id: UUID, enabled: bool) -> None:
    """Turning it on also grants every request still pending."""
    if staff.institution_id != institution_id:
        raise forbidden("You can change only your own institution.")
    async with uow:
        await uow.session.execute(
            update(institutions).where(institutions.c.id == institution_id).values(auto_activation=enabled)
        )
        row = await institution_row(uow, institution_id)
        if row is None:
            raise Problem(404, "not-found", "No such institution.")
        uow.publish(recorded(row), subject_id=institution_id)
        if enabled:
            await _grant_pending(uow, institution_id)
        await uow.commit()


async def _grant_pending(uow: UnitOfWork, institution_id: UUID) -> None:
    granted = await uow.session.execute(
        update(activation_requests)
        .where(activation_requests.c.institution_id == institution_id)
        .where(activation_requests.c.status == RequestStatus.PENDING)
        .values(status=RequestStatus.GRANTED, decided_at=datetime.now(UTC))
        .returning(activation_requests.c.account_id)
    )
    for (account_id,) in granted.all():
        event = ActivationGranted(
            account_id=account_id, institution_id=institution_id, method=ActivationMethod.AUTOMATIC
        )
        uow.publish(event, subject_id=account_id)
