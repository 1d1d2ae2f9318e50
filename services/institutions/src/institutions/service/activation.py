"""Activation requests: staff send an activation code or decline; automatic activation grants at once."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contracts.enums import ActivationMethod, Channel
from contracts.identity.v1 import ActivationRequested
from contracts.institutions.v1 import ActivationDeclined, ActivationGranted
from institutions.adapters import activation_requests, institutions
from institutions.domain import activation
from institutions.domain.activation import ActivationRequest, RequestStatus
from institutions.service.institutions import recorded
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Forbidden, NotFound


class NoSuchRequest(NotFound):
    def __init__(self) -> None:
        super().__init__("No activation request of this physician at your institution.")


class NotYourInstitution(Forbidden):
    def __init__(self) -> None:
        super().__init__("forbidden", "You can change only your own institution.", title="Not allowed")


async def receive_activation_request(*, uow: UnitOfWork, event: ActivationRequested, at: datetime) -> None:
    """Asking again (after a decline, or for a new code) reopens the request."""
    institution = await institutions.institution_by_id(uow.session, event.institution_id)
    automatic = institution is not None and institution.auto_activation
    request = activation.received(
        account_id=event.account_id, institution_id=event.institution_id, real_name=event.real_name,
        id_number_masked=event.id_number_masked, category=event.category, at=at, automatic=automatic,
    )  # fmt: skip
    await activation_requests.put_request(uow.session, request)
    if automatic:
        granted = ActivationGranted(
            account_id=event.account_id, institution_id=event.institution_id, method=ActivationMethod.AUTOMATIC
        )
        uow.publish(granted, subject_id=event.account_id)


async def pending_requests(
    *, uow: UnitOfWork, staff: Principal, status: RequestStatus | None
) -> list[ActivationRequest]:
    async with uow:
        return await activation_requests.requests_at(uow.session, institution_id=staff.institution_id, status=status)


async def _decided(
    uow: UnitOfWork, staff: Principal, account_id: UUID, status: RequestStatus, reason: str | None, now: datetime
) -> ActivationRequest:
    """Staff decide the request of their institution, locked against another staff deciding it at once."""
    request = await activation_requests.request_for_update(
        uow.session, account_id=account_id, institution_id=staff.institution_id
    )
    if request is None:
        raise NoSuchRequest()
    decided = activation.decide(request, status, staff_id=staff.account_id, reason=reason, now=now)
    await activation_requests.save_decision(uow.session, decided)
    return decided


async def send_activation_code(
    *, uow: UnitOfWork, staff: Principal, account_id: UUID, channel: Channel, now: datetime
) -> None:
    """Identity makes the code and notifications sends it; sending again replaces the previous code."""
    activation.check_code_channel(channel)
    async with uow:
        request = await _decided(uow, staff, account_id, RequestStatus.CODE_SENT, None, now)
        event = ActivationGranted(
            account_id=account_id, institution_id=request.institution_id, method=ActivationMethod.ACTIVATION_CODE,
            channel=channel,
        )  # fmt: skip
        uow.publish(event, subject_id=account_id)
        await uow.commit()


async def decline(*, uow: UnitOfWork, staff: Principal, account_id: UUID, reason: str, now: datetime) -> None:
    async with uow:
        request = await _decided(uow, staff, account_id, RequestStatus.DECLINED, reason, now)
        event = ActivationDeclined(account_id=account_id, institution_id=request.institution_id, reason=reason)
        uow.publish(event, subject_id=account_id)
        await uow.commit()


async def set_auto_activation(
    *, uow: UnitOfWork, staff: Principal, institution_id: UUID, enabled: bool, now: datetime
) -> None:
    """Turning it on also grants every request still pending."""
    if staff.institution_id != institution_id:
        raise NotYourInstitution()
    async with uow:
        institution = await institutions.set_auto_activation(
            uow.session, institution_id=institution_id, enabled=enabled
        )
        if institution is None:
            raise NotFound("No such institution.")
        uow.publish(recorded(institution), subject_id=institution_id)
        if enabled:
            await _grant_pending(uow, institution_id, now)
        await uow.commit()


async def _grant_pending(uow: UnitOfWork, institution_id: UUID, now: datetime) -> None:
    for account_id in await activation_requests.grant_pending(uow.session, institution_id=institution_id, at=now):
        event = ActivationGranted(
            account_id=account_id, institution_id=institution_id, method=ActivationMethod.AUTOMATIC
        )
        uow.publish(event, subject_id=account_id)
