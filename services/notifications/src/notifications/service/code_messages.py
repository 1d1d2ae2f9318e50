"""Telling people their one-time codes and verification links, opened here from the sealed form they travel in
(regsys_runtime.sealing.DeliverySealer). The code itself is never logged."""

from __future__ import annotations

import math
from datetime import datetime

from contracts.enums import Channel, CodePurpose
from contracts.identity.v1 import EmailVerificationLinkIssued, VerificationCodeIssued
from notifications.domain.catalogue import MessageKind
from notifications.service.outbound import Outbound

CODE_KINDS = {
    CodePurpose.VERIFY_PHONE: MessageKind.CODE_VERIFY_PHONE,
    CodePurpose.VERIFY_EMAIL: MessageKind.CODE_VERIFY_EMAIL,
    CodePurpose.RESET_PASSWORD: MessageKind.CODE_RESET_PASSWORD,
    CodePurpose.CHANGE_PHONE_OLD: MessageKind.CODE_CHANGE_PHONE_OLD,
    CodePurpose.CHANGE_PHONE_NEW: MessageKind.CODE_CHANGE_PHONE_NEW,
    CodePurpose.ACTIVATION: MessageKind.CODE_ACTIVATION,
}


def minutes_valid(out: Outbound, expires_at: datetime) -> int:
    seconds = (expires_at - out.envelope.occurred_at).total_seconds()
    return max(1, math.ceil(seconds / 60))


async def tell_code(*, out: Outbound, event: VerificationCodeIssued) -> None:
    facts = {"code": out.sealer.open(event.code), "minutes": minutes_valid(out, event.expires_at)}
    await out.send(
        CODE_KINDS[event.purpose],
        facts,
        channel=event.channel,
        recipient=event.destination if event.channel is not Channel.INBOX else "",
        account_id=event.account_id,
        sensitive=True,
        expires_at=event.expires_at,
    )


async def tell_email_link(*, out: Outbound, event: EmailVerificationLinkIssued) -> None:
    facts = {"link": out.sealer.open(event.link), "minutes": minutes_valid(out, event.expires_at)}
    await out.send(
        MessageKind.EMAIL_VERIFICATION_LINK,
        facts,
        channel=Channel.EMAIL,
        recipient=str(event.email),
        account_id=event.account_id,
        sensitive=True,
        expires_at=event.expires_at,
    )
