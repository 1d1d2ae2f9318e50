"""Events the notifications service consumes, and whom each one tells."""

from __future__ import annotations

from contracts import Envelope
from contracts.applications.v1 import ApplicationStatusChanged
from contracts.identity.v1 import EmailVerificationLinkIssued, VerificationCodeIssued
from notifications.domain.catalogue import MessageKind
from notifications.service import codes
from notifications.service.outbound import Outbound
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


def build_handlers(*, language: str) -> Handlers:
    """The handlers, writing messages in the given language."""

    def outbound(uow: UnitOfWork, envelope: Envelope) -> Outbound:
        return Outbound(uow=uow, envelope=envelope, language=language)

    async def on_verification_code_issued(uow: UnitOfWork, event: VerificationCodeIssued, envelope: Envelope) -> None:
        await codes.tell_code(out=outbound(uow, envelope), event=event)

    async def on_email_link_issued(uow: UnitOfWork, event: EmailVerificationLinkIssued, envelope: Envelope) -> None:
        await codes.tell_email_link(out=outbound(uow, envelope), event=event)

    async def on_application_status_changed(
        uow: UnitOfWork, event: ApplicationStatusChanged, envelope: Envelope
    ) -> None:
        facts = {"application_type": event.application_type, "status": event.status, "reason": event.reason}
        await outbound(uow, envelope).post(MessageKind.APPLICATION_STATUS_CHANGED, facts, account_id=event.account_id)

    return {
        VerificationCodeIssued: on_verification_code_issued,
        EmailVerificationLinkIssued: on_email_link_issued,
        ApplicationStatusChanged: on_application_status_changed,
    }
