"""Use cases of accounts: staff and officer accounts, reading an account, the qualification check, disabling."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from contracts.enums import AccountStatus, Role
from contracts.identity.v1 import AccountDisabled, AccountEnabled, AccountRegistered, QualificationChecked
from identity.adapters import accounts as store
from identity.adapters import qualifications
from identity.adapters.secrets import hash_password
from identity.bootstrap import Dependencies
from identity.domain import rules
from identity.domain.accounts import (
    BOOTSTRAP_ADMIN,
    Account,
    AccountFilter,
    awaits_qualification_check,
    check_against_registry,
    expect_enabled,
    status_when_enabled,
)
from identity.domain.audit import OperatorAction
from identity.domain.rules import RuleViolation
from identity.service import audit
from identity.service.refusals import invalid, not_found
from identity.service.sessions import end_all_sessions, login_key
from regsys_runtime.audit import Actor
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Conflict, InvalidFields, Message
from regsys_runtime.paging import Page, Window

LOGIN_TAKEN = Message("This login name is taken; choose another.", zh="此登录名已被使用，请换一个。")


def _check_staff_account(role: Role, password: str, institution_id: UUID | None, region_code: str | None) -> None:
    if role is Role.PHYSICIAN:
        raise invalid(RuleViolation("role", Message("Physicians register themselves.", zh="医师请自行注册账户。")))
    if role is Role.INSTITUTION_STAFF and institution_id is None:
        message = Message("Institution staff belong to an institution.", zh="机构人员须属于一个机构。")
        raise invalid(RuleViolation("institution_id", message))
    if role is Role.OFFICER and not region_code:
        raise invalid(
            RuleViolation("region_code", Message("Officers belong to a region.", zh="审批人员须属于一个地区。"))
        )
    try:
        rules.check_password(password)
    except RuleViolation as violation:
        raise invalid(violation) from None


async def create_staff_account(
    *, uow: UnitOfWork, actor: Actor | None, role: Role, login_name: str, password: str, real_name: str,
    institution_id: UUID | None, region_code: str | None, now: datetime,
) -> UUID:  # fmt: skip
    """A staff, officer or operator account, active at once; `actor` is the operator who creates it (None: the
    bootstrap administrator the service creates itself)."""
    _check_staff_account(role, password, institution_id, region_code)
    institution_id = institution_id if role is Role.INSTITUTION_STAFF else None
    region_code = region_code if role is Role.OFFICER else None
    async with uow:
        if await store.login_name_taken(uow.session, login_name=login_name):
            raise invalid(RuleViolation("login_name", LOGIN_TAKEN))
        account_id = uuid.uuid4()
        try:
            await store.add_account(
                uow.session, id=account_id, role=role, status=AccountStatus.ACTIVE, login_name=login_name,
                password_hash=await hash_password(password), real_name=real_name, institution_id=institution_id,
                region_code=region_code,
            )  # fmt: skip
        except store.AlreadyTaken:  # created meanwhile by another request
            raise invalid(RuleViolation("login_name", LOGIN_TAKEN)) from None
        event = AccountRegistered(
            account_id=account_id, role=role, login_name=login_name, real_name=real_name,
            institution_id=institution_id, region_code=region_code,
        )  # fmt: skip
        uow.publish(event, subject_id=account_id)
        if actor is not None:
            await audit.note(
                uow, actor, OperatorAction.ACCOUNT_CREATED, at=now, subject_id=account_id, role=role.value,
                login_name=login_name,
            )  # fmt: skip
        await uow.commit()
    return account_id


async def account(*, uow: UnitOfWork, account_id: UUID) -> Account:
    """The caller's own account, while it is not disabled (a token outliving the account shows nothing)."""
    async with uow:
        found = await store.account_by_id(uow.session, account_id=account_id)
    if found is None:
        raise not_found("account")
    expect_enabled(found)
    return found


async def check_qualification(*, deps: Dependencies, account_id: UUID) -> Account:
    """The auto-check after sign-in: name and ID number against the registry. A miss can be re-checked later."""
    async with deps.uow() as uow:
        found = await store.account_by_id(uow.session, account_id=account_id)
        if found is None or found.role != Role.PHYSICIAN:
            raise not_found("physician account")
        expect_enabled(found)
        if not awaits_qualification_check(found):
            return found
        lookup = found.id_number_lookup
        entry = await qualifications.qualification_for(uow.session, lookup=lookup) if lookup else None
        check = check_against_registry(found, entry)
        checked = replace(found, status=check.status, status_reason=check.reason, category=check.category)
        await store.set_account(
            uow.session, account_id=account_id, status=check.status, status_reason=check.reason,
            category=check.category,
        )  # fmt: skip
        linked = entry if check.matched else None  # what licensing links an imported registration by
        uow.publish(
            QualificationChecked(
                account_id=account_id, matched=check.matched, reason=check.reason, category=check.category,
                certificate_code=linked.certificate_code if linked else None,
                id_number_masked=found.id_number_masked if linked else None,
            ),
            subject_id=account_id,
        )  # fmt: skip
        await uow.commit()
    return checked


async def _account_to_change(uow: UnitOfWork, account_id: UUID) -> Account:
    found = await store.account_by_id(uow.session, account_id=account_id)
    if found is None:
        raise not_found("account")
    return found


async def disable_account(*, deps: Dependencies, actor: Actor, account_id: UUID, reason: str, now: datetime) -> None:
    """The account can no longer sign in or refresh, and every service refuses its access tokens within seconds."""
    async with deps.uow() as uow:
        found = await _account_to_change(uow, account_id)
        if found.login_name == BOOTSTRAP_ADMIN:
            raise Conflict(
                "keep-admin",
                Message("The bootstrap administrator cannot be disabled.", zh="初始管理员账户不能停用。"),
            )
        if found.status == AccountStatus.DISABLED:
            return
        await store.set_account(
            uow.session, account_id=account_id, status=AccountStatus.DISABLED, status_reason=reason,
            status_before_disabled=found.status,
        )  # fmt: skip
        await end_all_sessions(deps=deps, uow=uow, account_id=account_id, now=now)
        uow.publish(AccountDisabled(account_id=account_id, reason=reason), subject_id=account_id)
        await audit.note(uow, actor, OperatorAction.ACCOUNT_DISABLED, at=now, subject_id=account_id, reason=reason)
        await uow.commit()


PHONE_TAKEN_MEANWHILE = Message(
    "Another account has verified this account's phone since it was disabled; it cannot be enabled as it is.",
    zh="此账户停用后，其手机号已被另一个账户验证，无法直接启用。",
)


async def enable_account(*, deps: Dependencies, actor: Actor, account_id: UUID, now: datetime) -> AccountStatus:
    """A disabled account back at the step it was at when disabled; an enabled one stays as it is."""
    async with deps.uow() as uow:
        found = await _account_to_change(uow, account_id)
        if found.status != AccountStatus.DISABLED:
            return found.status
        status = status_when_enabled(found)
        try:
            await store.set_account(
                uow.session, account_id=account_id, status=status, status_reason=None, status_before_disabled=None
            )
        except store.AlreadyTaken:
            raise Conflict("phone-taken", PHONE_TAKEN_MEANWHILE) from None
        uow.publish(AccountEnabled(account_id=account_id, status=status), subject_id=account_id)
        await audit.note(uow, actor, OperatorAction.ACCOUNT_ENABLED, at=now, subject_id=account_id, status=status)
        await uow.commit()
    return status


async def unlock_account(*, deps: Dependencies, actor: Actor, account_id: UUID, now: datetime) -> None:
    """Lift the lock that too many wrong passwords put on the account's login name (and forget the failures)."""
    async with deps.uow() as uow:
        found = await _account_to_change(uow, account_id)
        locked_seconds = await deps.login_failures.lock_seconds(login_key(found.login_name))
        await audit.note(
            uow, actor, OperatorAction.ACCOUNT_UNLOCKED, at=now, subject_id=account_id, locked_seconds=locked_seconds
        )
        await uow.commit()
    await deps.login_failures.unlock(login_key(found.login_name))


async def list_accounts(*, deps: Dependencies, wanted: AccountFilter, window: Window) -> Page[tuple[Account, int]]:
    """Accounts for operators, newest first, each with the seconds its login name stays locked (0: not locked)."""
    async with deps.uow() as uow:
        page = await store.accounts_listed(uow.session, wanted=wanted, window=window)
    locks = [await deps.login_failures.lock_seconds(login_key(a.login_name)) for a in page.items]
    return Page(list(zip(page.items, locks, strict=True)), page.total)


async def ensure_admin(*, uow: UnitOfWork, password: str, login_name: str = BOOTSTRAP_ADMIN) -> None:
    """The bootstrap administrator, created once however many replicas start together."""
    async with uow:
        if await store.login_name_taken(uow.session, login_name=login_name):
            return
    try:
        await create_staff_account(
            uow=uow, actor=None, role=Role.ADMIN, login_name=login_name, password=password, real_name="管理员",
            institution_id=None, region_code=None, now=datetime.now(UTC),
        )  # fmt: skip
    except InvalidFields:
        async with uow:
            if not await store.login_name_taken(uow.session, login_name=login_name):
                raise  # a password the policy refuses: the service must not start
