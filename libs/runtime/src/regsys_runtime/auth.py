"""Access-token verification: every service checks identity's signed tokens itself, against its JWKS."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol
from uuid import UUID

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contracts.enums import Role
from regsys_runtime.errors import Message
from regsys_runtime.problems import Problem

ALGORITHMS = ["EdDSA"]

KeySource = Callable[[], Awaitable[dict[str, Any]]]  # returns a JWKS document


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account, its role and what the role is bound to."""

    account_id: UUID
    role: Role
    institution_id: UUID | None = None
    region_code: str | None = None
    session_id: UUID | None = None  # the refresh-token family the access token came from

    def claims(self) -> dict[str, Any]:
        claims: dict[str, Any] = {"sub": str(self.account_id), "role": self.role.value}
        if self.session_id:
            claims["sid"] = str(self.session_id)
        if self.institution_id:
            claims["institution_id"] = str(self.institution_id)
        if self.region_code:
            claims["region_code"] = self.region_code
        return claims

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        institution, session = claims.get("institution_id"), claims.get("sid")
        return cls(
            account_id=UUID(claims["sub"]),
            role=Role(claims["role"]),
            institution_id=UUID(institution) if institution else None,
            region_code=claims.get("region_code"),
            session_id=UUID(session) if session else None,
        )


def unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "unauthorized",
        detail,
        title=Message("Sign in required", zh="需要登录"),
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def forbidden(detail: str = Message("Your account may not do this.", zh="您的账户无权执行此操作。")) -> Problem:
    return Problem(403, "forbidden", detail, title=Message("Not allowed", zh="无权操作"))


def http_jwks(client: httpx.AsyncClient, url: str) -> KeySource:
    async def fetch() -> dict[str, Any]:
        response = await client.get(url, timeout=5)
        response.raise_for_status()
        return response.json()

    return fetch


class EndedSessionsView(Protocol):
    async def has_ended(self, *, account_id: UUID, session_id: UUID | None, issued_at: float) -> bool: ...


class TokenVerifier:
    """Verifies access tokens; caches the key set and refetches it when an unknown key id appears.

    With `ended`, a token whose session or account identity ended after it was issued is refused too.
    """

    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        refresh_after_seconds: float = 300,
        min_refetch_seconds: float = 5,
        ended: EndedSessionsView | None = None,
    ) -> None:
        self._keys = keys
        self._ended = ended
        self._issuer, self._audience = issuer, audience
        self._refresh_after, self._min_refetch = refresh_after_seconds, min_refetch_seconds
        self._cache: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def _key(self, kid: str) -> jwt.PyJWK:
        age = time.monotonic() - self._fetched_at
        if (kid not in self._cache and age > self._min_refetch) or age > self._refresh_after:
            async with self._lock:
                try:
                    document = await self._keys()
                except (httpx.HTTPError, ValueError) as exc:
                    if not self._cache:
                        raise Problem(
                            503,
                            "keys-unavailable",
                            Message(
                                "Token keys cannot be fetched; try again.", zh="暂时无法获取令牌密钥，请稍后重试。"
                            ),
                        ) from exc
                else:
                    self._cache = {k["kid"]: jwt.PyJWK(k) for k in document.get("keys", []) if "kid" in k}
                    self._fetched_at = time.monotonic()
        try:
            return self._cache[kid]
        except KeyError:
            raise unauthorized(
                Message("The token was signed with an unknown key.", zh="令牌由未知密钥签发。")
            ) from None

    async def verify(self, token: str) -> Principal:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise unauthorized(Message("The access token is malformed.", zh="访问令牌格式不正确。")) from None
        if not kid:
            raise unauthorized(Message("The access token names no key.", zh="访问令牌未指明密钥。"))
        key = await self._key(kid)
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "role"]},
            )
        except jwt.ExpiredSignatureError:
            raise unauthorized(
                Message("The access token has expired; refresh it.", zh="访问令牌已过期，请刷新。")
            ) from None
        except jwt.PyJWTError:
            raise unauthorized(Message("The access token is not valid.", zh="访问令牌无效。")) from None
        if claims.get("typ") != "access":
            raise unauthorized(Message("This is not an access token.", zh="这不是访问令牌。"))
        try:
            principal = Principal.from_claims(claims)
        except (KeyError, ValueError):
            raise unauthorized(
                Message("The access token carries unknown claims.", zh="访问令牌包含无法识别的声明。")
            ) from None
        await self._refuse_ended(principal, float(claims["iat"]))
        return principal

    async def _refuse_ended(self, principal: Principal, issued_at: float) -> None:
        if self._ended is not None and await self._ended.has_ended(
            account_id=principal.account_id, session_id=principal.session_id, issued_at=issued_at
        ):
            raise unauthorized(Message("This session has ended; sign in again.", zh="此会话已结束，请重新登录。"))


# declares the scheme in every OpenAPI document (so /docs has its Authorize button); the check is ours
bearer = HTTPBearer(auto_error=False, description="An access token from identity's POST /sessions.")


async def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if credentials is None or not credentials.credentials.strip():
        raise unauthorized(
            Message(
                "Send an access token as `Authorization: Bearer <token>`.",
                zh="请先登录（以 Authorization: Bearer <令牌> 发送访问令牌）。",
            )
        )
    verifier: TokenVerifier = request.app.state.runtime.verifier
    return await verifier.verify(credentials.credentials.strip())


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits only the given roles."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            needed = " or ".join(r.value for r in roles)
            raise forbidden(Message(f"This needs the role {needed}.", zh=f"此操作需要以下角色：{needed}。"))
        return principal

    return check
