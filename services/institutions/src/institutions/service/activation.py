"""Activation requests: staff send an activation code or decline; automatic activation grants at once."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contracts.enums import ActivationMethod, Channel
from contracts.identity.v1 import AccountActivated, ActivationRequested
from contracts.institutions.v1 import ActivationDeclined, ActivationGranted
from institutions.adapters import activation_requests, institutions
from institutions.domain import activation
from institutions.domain.activation import ActivationRequest, RequestStatus
from institutions.domain.audit import AuditAction
from institutions.service.audit import note
from institutions.service.institutions import recorded
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Forbidden, Message, NotFound, NotYet
from regsys_runtime.paging import Page, Window


class NoSuchRequest(NotFound):
    def __init__(self) -> None:
        super().__init__(
            Message("No activation request of this physician at your institution.", zh="贵机构没有该医师的激活申请。")
        )


class NotYourInstitution(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "forbidden",
            Message("You can change only your own institution.", zh="您只能修改本机构的设置。"),
            title=Message("Not allowed", zh="无权操作"),
        )


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


async def record_activation(*, uow: UnitOfWork, event: AccountActivated, at: datetime) -> None:
    """Identity activated the account: the request it answers reads granted, how and when.

    An activation through an institution follows that institution's own grant, so its request is here unless
    the events are late; the consumer retries until it is (a certificate-code activation needs none).
    """
    requests = await activation_requests.requests_of_account(
        uow.session, account_id=event.account_id, institution_id=event.institution_id
    )
    if event.institution_id is not None and not requests:
        raise NotYet("The activation request this activation answers has not arrived yet.")
    for request in requests:
        granted = activation.activated(request, method=event.method, institution_id=event.institution_id, at=at)
        if granted is not None:
            await activation_requests.save_state(uow.session, granted)


async def pending_requests(
    *, uow: UnitOfWork, staff: Principal, status: RequestStatus | None, window: Window
) -> Page[ActivationRequest]:
    async with uow:
        return await activation_requests.requests_at(
            uow.session, institution_id=staff.institution_id, status=status, window=window
        )


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
    await activation_requests.save_state(uow.session, decided)
    return decided


async def send_activation_code(
    *, uow: UnitOfWork, staff: Principal, client_address: str | None, account_id: UUID, channel: Channel, now: datetime
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
        await note(
            uow, staff, client_address, AuditAction.ACTIVATION_CODE_SENT, at=now, institution_id=request.institution_id,
            subject_id=account_id, channel=channel.value,
        )  # fmt: skip
        await uow.commit()


async def decline(
    *, uow: UnitOfWork, staff: Principal, client_address: str | None, account_id: UUID, reason: str, now: datetime
) -> None:
    async with uow:
        request = await _decided(uow, staff, account_id, RequestStatus.DECLINED, reason, now)
        event = ActivationDeclined(
            account_id=account_id, institution_id=request.institution_id, reason=request.reason or reason
        )
        uow.publish(event, subject_id=account_id)
        await note(
            uow, staff, client_address, AuditAction.ACTIVATION_DECLINED, at=now, institution_id=request.institution_id,
            subject_id=account_id, reason=request.reason,
        )  # fmt: skip
        await uow.commit()


async def set_auto_activation(
    *, uow: UnitOfWork, staff: Principal, client_address: str | None, institution_id: UUID, enabled: bool, now: datetime
) -> None:
    """Turning it on also grants every request still pending."""
    if staff.institution_id != institution_id:
        raise NotYourInstitution()
    async with uow:
        institution = await institutions.set_auto_activation(
            uow.session, institution_id=institution_id, enabled=enabled
        )
        if institution is None:
            raise NotFound(Message("No such institution.", zh="没有这家机构。"))
        uow.publish(recorded(institution), subject_id=institution_id)
        if enabled:
            await _grant_pending(uow, institution_id, now)
        await note(
            uow, staff, client_address, AuditAction.AUTO_ACTIVATION_SWITCHED, at=now, institution_id=institution_id,
            subject_id=institution_id, enabled=enabled,
        )  # fmt: skip
        await uow.commit()


async def _grant_pending(uow: UnitOfWork, institution_id: UUID, now: datetime) -> None:
    for account_id in await activation_requests.grant_pending(uow.session, institution_id=institution_id, at=now):
        event = ActivationGranted(
            account_id=account_id, institution_id=institution_id, method=ActivationMethod.AUTOMATIC
        )
        uow.publish(event, subject_id=account_id)
