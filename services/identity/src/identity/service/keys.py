"""Token-signing keys and access tokens."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from identity.adapters import signing_keys
from identity.adapters.secrets import Sealer, new_signing_key, sign_access_token
from identity.domain.audit import OperatorAction
from identity.service import audit
from identity.settings import Settings
from regsys_runtime.audit import Actor
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, Unavailable

log = logging.getLogger(__name__)


class TokenIssuer:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        secret = settings.secret_key.get_secret_value()
        self._sealer = Sealer(secret, "signing-key", previous=settings.previous_secrets)

    @property
    def lifetime_seconds(self) -> int:
        return self._settings.access_token_minutes * 60

    async def ensure_key(self, *, uow: UnitOfWork) -> None:
        """Create the first signing key on first start (replicas racing here share the first one), and re-seal
        under the current secret the keys a previous one sealed (IDENTITY_PREVIOUS_SECRET_KEYS)."""
        async with uow:
            await signing_keys.lock_signing_keys(uow.session)
            if await signing_keys.active_signing_key(uow.session) is None:
                await signing_keys.add_signing_key(uow.session, row=new_signing_key(self._sealer))
            if resealed := await signing_keys.reseal_signing_keys(uow.session, sealer=self._sealer):
                log.info("re-sealed %d signing keys under the current IDENTITY_SECRET_KEY", resealed)
            await uow.commit()

    async def rotate(self, *, uow: UnitOfWork, actor: Actor, now: datetime) -> str:
        """Sign access tokens from now on with a new key, on every replica at once (each reads the active key from
        the database as it signs); the retired keys stay in the JWKS, so tokens they signed verify until they
        expire. The new key's id."""
        async with uow:
            await signing_keys.lock_signing_keys(uow.session)
            await signing_keys.retire_signing_keys(uow.session)
            row = new_signing_key(self._sealer)
            await signing_keys.add_signing_key(uow.session, row=row)
            await audit.note(uow, actor, OperatorAction.TOKEN_KEY_ROTATED, at=now, subject_id=None, kid=row["kid"])
            await uow.commit()
        return str(row["kid"])

    async def jwks(self, *, uow: UnitOfWork) -> dict[str, Any]:
        async with uow:
            return {"keys": await signing_keys.published_keys(uow.session)}

    def now(self) -> datetime:
        """The time access tokens are dated by: the machine's, since every verifier checks `iat` and `exp` against
        it. A session's end is dated by it too (never by a business clock that a test stack moves)."""
        return datetime.now(UTC)

    async def issue(self, *, uow: UnitOfWork, principal: Principal) -> str:
        """An access token, signed with the active key as read in the caller's open unit of work."""
        key = await signing_keys.active_signing_key(uow.session)
        if key is None:  # ensure_key runs at start-up, so only a database emptied since would get here
            raise Unavailable(
                "no-signing-key",
                Message("Signing in is not possible right now; try again shortly.", zh="暂时无法登录，请稍后再试。"),
            )
        s = self._settings
        return sign_access_token(
            principal=principal,
            kid=key.kid,
            private_pem=self._sealer.open(key.private_key_cipher),
            issuer=s.token_issuer,
            audience=s.token_audience,
            minutes=s.access_token_minutes,
            issued_at=self.now().timestamp(),
        )
