"""Telling people of the steps of their account: registration, qualification, activation, security changes.

These go by SMS and e-mail, the contacts the person gave, and every one of them is in the inbox too
(`Outbound`); security changes also reach the old contact,
so that a person whose account was taken over hears of it where the intruder cannot intercept it.
The account read model (whom to tell, and how) is kept here from the same events.
"""

from __future__ import annotations

from contracts.enums import Channel, Role
from contracts.identity.v1 import (
    AccountActivated,
    AccountDisabled,
    AccountRegistered,
    ActivationRequested,
    EmailChanged,
    PasswordChanged,
    PhoneChanged,
    PhoneVerified,
    QualificationChecked,
)
from contracts.institutions.v1 import ActivationDeclined
from notifications.adapters import accounts
from notifications.domain.catalogue import MessageKind
from notifications.domain.deliveries import masked_contact
from notifications.domain.recipients import Contact
from notifications.service.outbound import Outbound

SMS_AND_EMAIL = (Channel.SMS, Channel.EMAIL)


async def registered(*, out: Outbound, event: AccountRegistered) -> None:
    contact = Contact(
        account_id=event.account_id,
        role=event.role,
        real_name=event.real_name,
        phone=event.phone,
        email=str(event.email) if event.email else None,
    )
    await accounts.remember_account(
        out.session,
        contact=contact,
        institution_id=event.institution_id,
        region_code=event.region_code,
        at=out.envelope.occurred_at,
    )
    if event.role is Role.PHYSICIAN:  # staff and officers are created by an operator, who tells them
        facts = {"name": event.real_name, "login_name": event.login_name}
        await out.tell(
            MessageKind.ACCOUNT_REGISTERED,
            facts,
            account_id=event.account_id,
            contact=contact,
            channels=[Channel.EMAIL],
        )


async def qualification_checked(*, out: Outbound, event: QualificationChecked) -> None:
    contact = await accounts.contact_of(out.session, account_id=event.account_id)
    if event.matched:
        kind, facts = MessageKind.QUALIFICATION_MATCHED, {"category": event.category or "-"}
    else:
        kind, facts = MessageKind.QUALIFICATION_UNMATCHED, {"reason": event.reason or "-"}
    await out.tell(kind, facts, account_id=event.account_id, contact=contact, channels=[Channel.EMAIL])


async def activation_requested(*, out: Outbound, event: ActivationRequested) -> None:
    """The physician asks their institution to activate the account: its staff hear of it."""
    staff = await accounts.staff_of(out.session, institution_ids=[event.institution_id])
    facts = {"physician_name": event.real_name, "id_number_masked": event.id_number_masked}
    await out.tell_at_work(MessageKind.ACTIVATION_REQUESTED, facts, staff)


async def activated(*, out: Outbound, event: AccountActivated) -> None:
    contact = await accounts.contact_of(out.session, account_id=event.account_id)
    await out.tell(
        MessageKind.ACCOUNT_ACTIVATED, {}, account_id=event.account_id, contact=contact, channels=SMS_AND_EMAIL
    )


async def activation_declined(*, out: Outbound, event: ActivationDeclined) -> None:
    contact = await accounts.contact_of(out.session, account_id=event.account_id)
    facts = {"reason": event.reason}
    await out.tell(
        MessageKind.ACTIVATION_DECLINED, facts, account_id=event.account_id, contact=contact, channels=SMS_AND_EMAIL
    )


async def phone_verified(*, out: Outbound, event: PhoneVerified) -> None:
    """Only in the inbox (the person is at the screen); the verified phone is where later texts go."""
    await accounts.change_contact(
        out.session, account_id=event.account_id, at=out.envelope.occurred_at, phone=event.phone
    )
    facts = {"contact": masked_contact(event.phone)}
    await out.post(MessageKind.PHONE_VERIFIED, facts, account_id=event.account_id)


async def phone_changed(*, out: Outbound, event: PhoneChanged) -> None:
    contact = await accounts.contact_of(out.session, account_id=event.account_id)
    await accounts.change_contact(
        out.session, account_id=event.account_id, at=out.envelope.occurred_at, phone=event.new_phone
    )
    facts = {"new_contact": masked_contact(event.new_phone)}
    for phone in {p for p in (event.old_phone, event.new_phone) if p is not None}:
        await out.send(
            MessageKind.PHONE_CHANGED, facts, channel=Channel.SMS, recipient=phone, account_id=event.account_id
        )
    if contact is not None and contact.email:
        await out.send(
            MessageKind.PHONE_CHANGED,
            facts,
            channel=Channel.EMAIL,
            recipient=contact.email,
            account_id=event.account_id,
        )


async def email_changed(*, out: Outbound, event: EmailChanged) -> None:
    contact = await accounts.contact_of(out.session, account_id=event.account_id)
    new_email = str(event.new_email)
    await accounts.change_contact(
        out.session, account_id=event.account_id, at=out.envelope.occurred_at, email=new_email
    )
    facts = {"new_contact": masked_contact(new_email)}
    old_email = str(event.old_email) if event.old_email else None
    for address in {a for a in (old_email, new_email) if a is not None}:
        await out.send(
            MessageKind.EMAIL_CHANGED, facts, channel=Channel.EMAIL, recipient=address, account_id=event.account_id
        )
    if contact is not None and contact.phone:
        await out.send(
            MessageKind.EMAIL_CHANGED, facts, channel=Channel.SMS, recipient=contact.phone, account_id=event.account_id
        )


async def password_changed(*, out: Outbound, event: PasswordChanged) -> None:
    contact = await accounts.contact_of(out.session, account_id=event.account_id)
    facts = {"reset": event.reset}
    await out.tell(
        MessageKind.PASSWORD_CHANGED, facts, account_id=event.account_id, contact=contact, channels=SMS_AND_EMAIL
    )


async def disabled(*, out: Outbound, event: AccountDisabled) -> None:
    contact = await accounts.contact_of(out.session, account_id=event.account_id)
    await accounts.change_contact(out.session, account_id=event.account_id, at=out.envelope.occurred_at, disabled=True)
    facts = {"reason": event.reason}
    await out.tell(
        MessageKind.ACCOUNT_DISABLED, facts, account_id=event.account_id, contact=contact, channels=SMS_AND_EMAIL
    )
