"""Signing in and staying signed in: access tokens, rotating refresh tokens with reuse detection, sign-out.

A session is one family of refresh tokens; its access tokens carry the family's id (`sid`). Every ending of a
session, or of all an account's sessions, is announced (`SessionsEnded`), so every service refuses the access
tokens still out within seconds rather than when they expire. One unit of work per command: a refresh never
waits for a second pooled connection while holding the first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from contracts.enums import AccountStatus
from contracts.identity.v1 import SessionsEnded
from identity.adapters import accounts as store
from identity.adapters import refresh_tokens
from identity.adapters.secrets import verify_password
from identity.adapters.throttle import Locked
from identity.bootstrap import Dependencies
from identity.domain.accounts import Account
from identity.service.refusals import account_disabled, captcha_required, locked_out
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, Unauthenticated


class SignInFailed(Unauthenticated):
    def __init__(self) -> None:
        super().__init__("sign-in-failed", Message("The login name or password is wrong.", zh="登录名或密码不正确。"))


class RefreshRefused(Unauthenticated):
    def __init__(self) -> None:
        super().__init__(
            "refresh-refused", Message("This session has ended; sign in again.", zh="此会话已结束，请重新登录。")
        )


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int


@dataclass(frozen=True)
class CaptchaAnswer:
    captcha_id: UUID
    answer: str


def principal_of(account: Account, session_id: UUID) -> Principal:
    return Principal(
        account_id=account.id,
        role=account.role,
        institution_id=account.institution_id,
        region_code=account.region_code,
        session_id=session_id,
    )


def login_key(login_name: str) -> str:
    return login_name.strip().lower()  # `ABC` fails against the same lock as `abc`


async def sign_in(
    *, deps: Dependencies, login_name: str, password: str, address: str, captcha: CaptchaAnswer | None,
    now: datetime,
) -> Session:  # fmt: skip
    """An unknown login name costs the same Argon2 check as a wrong password, so timing tells no names apart."""
    await _admit_sign_in(deps=deps, login_name=login_name, address=address, captcha=captcha)
    async with deps.uow() as uow:
        account = await store.account_by_login(uow.session, login_name=login_name)
        if not await verify_password(account.password_hash if account else None, password) or account is None:
            await deps.login_failures.failed(login_key(login_name))
            await deps.address_failures.failed(address)
            raise SignInFailed()
        if account.status == AccountStatus.DISABLED:
            raise account_disabled()
        session = await _issue(deps=deps, uow=uow, account=account, family_id=uuid.uuid4(), now=now)
        await uow.commit()
    await deps.login_failures.cleared(login_key(login_name))
    return session


async def _admit_sign_in(*, deps: Dependencies, login_name: str, address: str, captcha: CaptchaAnswer | None) -> None:
    """A login name with too many wrong passwords is locked for a while; an address with many failures is not
    locked (a hospital's physicians may share it) but must solve a captcha with every sign-in."""
    try:
        await deps.login_failures.check(login_key(login_name))
    except Locked as locked:
        raise locked_out(locked) from None
    if await deps.address_failures.reached(address):
        solved = captcha is not None and await deps.captchas.solved(
            captcha_id=captcha.captcha_id, answer=captcha.answer
        )
        if not solved:
            raise captcha_required()


async def refresh(*, deps: Dependencies, refresh_token: str, now: datetime) -> Session:
    """Spend the refresh token for a new pair. A spent token presented again ends its whole session."""
    async with deps.uow() as uow:
        token = await refresh_tokens.locked(uow.session, token=refresh_token)
        if token is None or token.ended(now):
            raise RefreshRefused()
        if token.spent:
            await _end_session(deps=deps, uow=uow, account_id=token.account_id, family_id=token.family_id, now=now)
            await uow.commit()
            raise RefreshRefused()
        await refresh_tokens.spend(uow.session, token_id=token.id, at=now)
        account = await store.account_by_id(uow.session, account_id=token.account_id)
        if account is None or account.status == AccountStatus.DISABLED:
            await uow.commit()
            raise account_disabled()
        session = await _issue(deps=deps, uow=uow, account=account, family_id=token.family_id, now=now)
        await uow.commit()
    return session


async def sign_out(*, deps: Dependencies, refresh_token: str, now: datetime) -> None:
    """The session of this refresh token ends: its refresh tokens at once, its access tokens within seconds."""
    async with deps.uow() as uow:
        token = await refresh_tokens.locked(uow.session, token=refresh_token)
        if token is not None:
            await _end_session(deps=deps, uow=uow, account_id=token.account_id, family_id=token.family_id, now=now)
            await uow.commit()


async def sign_out_everywhere(*, deps: Dependencies, account_id: UUID, now: datetime) -> None:
    """The person ends every session of theirs, on every device (a lost phone, a shared computer)."""
    async with deps.uow() as uow:
        await end_all_sessions(deps=deps, uow=uow, account_id=account_id, now=now)
        await uow.commit()


async def end_all_sessions(*, deps: Dependencies, uow: UnitOfWork, account_id: UUID, now: datetime) -> None:
    """After a password change or reset, or disabling: every session of the account ends, in the caller's unit
    of work (the announcement commits with the change)."""
    await refresh_tokens.revoke_account(uow.session, account_id=account_id, at=now)
    ended = SessionsEnded(account_id=account_id, session_id=None, ended_at=deps.issuer.now())
    uow.publish(ended, subject_id=account_id)


async def _end_session(
    *, deps: Dependencies, uow: UnitOfWork, account_id: UUID, family_id: UUID, now: datetime
) -> None:
    await refresh_tokens.revoke_family(uow.session, family_id=family_id, at=now)
    ended = SessionsEnded(account_id=account_id, session_id=family_id, ended_at=deps.issuer.now())
    uow.publish(ended, subject_id=account_id)


async def _issue(*, deps: Dependencies, uow: UnitOfWork, account: Account, family_id: UUID, now: datetime) -> Session:
    """The next pair of the session, in the caller's open unit of work (the signing key is read there too)."""
    days = deps.settings.refresh_token_days
    token = await refresh_tokens.add(
        uow.session, account_id=account.id, family_id=family_id, expires_at=now + timedelta(days=days)
    )
    access = await deps.issuer.issue(uow=uow, principal=principal_of(account, family_id))
    return Session(access, token, deps.issuer.lifetime_seconds, days * 86_400)
