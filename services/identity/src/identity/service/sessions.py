"""Signing in and staying signed in: access tokens, rotating refresh tokens with reuse detection, sign-out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy.engine import RowMapping

from contracts.enums import AccountStatus, Role
from identity.adapters import accounts as store
from identity.adapters import refresh_tokens
from identity.adapters.secrets import password_matches
from identity.adapters.throttle import Locked
from identity.bootstrap import Kit
from identity.service.problems import locked_problem
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem

SIGN_IN_FAILED = Problem(401, "sign-in-failed", "The login name or password is wrong.")
REFRESH_REFUSED = Problem(401, "refresh-refused", "This session has ended; sign in again.")
DISABLED = Problem(403, "account-disabled", "This account is disabled; contact your administrator.")


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int


def principal_of(account: RowMapping) -> Principal:
    return Principal(
        account_id=account.id,
        role=Role(account.role),
        institution_id=account.institution_id,
        region_code=account.region_code,
    )


async def sign_in(*, kit: Kit, login_name: str, password: str, address: str) -> Session:
    try:
        await kit.login_failures.check(login_name)
        await kit.address_failures.check(address)
    except Locked as locked:
        raise locked_problem(locked) from None
    async with kit.uow() as uow:
        account = await store.account_by_login(uow.session, login_name)
    if account is None or not password_matches(account.password_hash, password):
        await kit.login_failures.failed(login_name)
        await kit.address_failures.failed(address)
        raise SIGN_IN_FAILED
    if account.status == AccountStatus.DISABLED:
        raise DISABLED
    await kit.login_failures.cleared(login_name)
    return await _open_session(kit=kit, account=account, family_id=uuid.uuid4())


async def refresh(*, kit: Kit, refresh_token: str) -> Session:
    """Spend the refresh token for a new pair. A spent token presented again revokes its whole family."""
    now = datetime.now(UTC)
    async with kit.uow() as uow:
        row = await refresh_tokens.locked(uow.session, refresh_token)
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise REFRESH_REFUSED
        if row.used_at is not None:
            await refresh_tokens.revoke_family(uow.session, row.family_id, now)
            await uow.commit()
            raise REFRESH_REFUSED
        await refresh_tokens.spend(uow.session, row.id, now)
        account = await store.account_by_id(uow.session, row.account_id)
        if account is None or account.status == AccountStatus.DISABLED:
            await uow.commit()
            raise DISABLED
        session = await _issue(kit=kit, uow=uow, account=account, family_id=row.family_id)
        await uow.commit()
    return session


async def sign_out(*, kit: Kit, refresh_token: str) -> None:
    async with kit.uow() as uow:
        row = await refresh_tokens.locked(uow.session, refresh_token)
        if row is not None:
            await refresh_tokens.revoke_family(uow.session, row.family_id, datetime.now(UTC))
            await uow.commit()


async def end_all_sessions(*, uow: UnitOfWork, account_id: UUID) -> None:
    """After a password change or disabling: every refresh token of the account stops working."""
    await refresh_tokens.revoke_account(uow.session, account_id, datetime.now(UTC))


async def _open_session(*, kit: Kit, account: RowMapping, family_id: UUID) -> Session:
    async with kit.uow() as uow:
        session = await _issue(kit=kit, uow=uow, account=account, family_id=family_id)
        await uow.commit()
    return session


async def _issue(*, kit: Kit, uow: UnitOfWork, account: RowMapping, family_id: UUID) -> Session:
    days = kit.settings.refresh_token_days
    token = await refresh_tokens.add(
        uow.session,
        account_id=account.id,
        family_id=family_id,
        expires_at=datetime.now(UTC) + timedelta(days=days),
    )
    access = await kit.issuer.issue(uow=kit.uow(), principal=principal_of(account))
    return Session(access, token, kit.issuer.lifetime_seconds, days * 86_400)
