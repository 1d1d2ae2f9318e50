"""Signing in and staying signed in: access tokens, rotating refresh tokens with reuse detection, sign-out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from contracts.enums import AccountStatus
from identity.adapters import accounts as store
from identity.adapters import refresh_tokens
from identity.adapters.secrets import password_matches
from identity.adapters.throttle import Locked
from identity.bootstrap import Dependencies
from identity.domain.accounts import Account
from identity.service.refusals import account_disabled, locked_out
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Unauthenticated


class SignInFailed(Unauthenticated):
    def __init__(self) -> None:
        super().__init__("sign-in-failed", "The login name or password is wrong.")


class RefreshRefused(Unauthenticated):
    def __init__(self) -> None:
        super().__init__("refresh-refused", "This session has ended; sign in again.")


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int


def principal_of(account: Account) -> Principal:
    return Principal(
        account_id=account.id,
        role=account.role,
        institution_id=account.institution_id,
        region_code=account.region_code,
    )


async def sign_in(*, deps: Dependencies, login_name: str, password: str, address: str, now: datetime) -> Session:
    try:
        await deps.login_failures.check(login_name)
        await deps.address_failures.check(address)
    except Locked as locked:
        raise locked_out(locked) from None
    async with deps.uow() as uow:
        account = await store.account_by_login(uow.session, login_name=login_name)
    if account is None or not password_matches(account.password_hash, password):
        await deps.login_failures.failed(login_name)
        await deps.address_failures.failed(address)
        raise SignInFailed()
    if account.status == AccountStatus.DISABLED:
        raise account_disabled()
    await deps.login_failures.cleared(login_name)
    return await _open_session(deps=deps, account=account, family_id=uuid.uuid4(), now=now)


async def refresh(*, deps: Dependencies, refresh_token: str, now: datetime) -> Session:
    """Spend the refresh token for a new pair. A spent token presented again revokes its whole family."""
    async with deps.uow() as uow:
        token = await refresh_tokens.locked(uow.session, token=refresh_token)
        if token is None or token.ended(now):
            raise RefreshRefused()
        if token.spent:
            await refresh_tokens.revoke_family(uow.session, family_id=token.family_id, at=now)
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
    async with deps.uow() as uow:
        token = await refresh_tokens.locked(uow.session, token=refresh_token)
        if token is not None:
            await refresh_tokens.revoke_family(uow.session, family_id=token.family_id, at=now)
            await uow.commit()


async def end_all_sessions(*, uow: UnitOfWork, account_id: UUID, now: datetime) -> None:
    """After a password change or disabling: every refresh token of the account stops working."""
    await refresh_tokens.revoke_account(uow.session, account_id=account_id, at=now)


async def _open_session(*, deps: Dependencies, account: Account, family_id: UUID, now: datetime) -> Session:
    async with deps.uow() as uow:
        session = await _issue(deps=deps, uow=uow, account=account, family_id=family_id, now=now)
        await uow.commit()
    return session


async def _issue(*, deps: Dependencies, uow: UnitOfWork, account: Account, family_id: UUID, now: datetime) -> Session:
    days = deps.settings.refresh_token_days
    token = await refresh_tokens.add(
        uow.session, account_id=account.id, family_id=family_id, expires_at=now + timedelta(days=days)
    )
    access = await deps.issuer.issue(uow=deps.uow(), principal=principal_of(account))
    return Session(access, token, deps.issuer.lifetime_seconds, days * 86_400)
