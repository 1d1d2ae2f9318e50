"""Signing in, refreshing, signing out, and the public keys that verify access tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from identity.api.deps import ClientAddress, KitDep
from identity.service import sessions
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["sessions"])


class SignIn(BaseModel):
    login_name: str = Field(max_length=32)
    password: str = Field(max_length=64)


class RefreshTokenBody(BaseModel):
    refresh_token: str = Field(max_length=200)


class SessionRead(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name
    expires_in: int
    refresh_expires_in: int


def _read(session: sessions.Session) -> SessionRead:
    return SessionRead(
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        expires_in=session.expires_in,
        refresh_expires_in=session.refresh_expires_in,
    )


@router.get("/.well-known/jwks.json")
async def jwks(kit: KitDep) -> dict[str, Any]:
    return await kit.issuer.jwks(uow=kit.uow())


@router.post("/tokens", response_model=SessionRead, responses=problem_responses(401, 403, 422, 429))
async def sign_in(body: SignIn, kit: KitDep, address: ClientAddress) -> SessionRead:
    """Sign in. Repeated wrong passwords lock the login name (and, far more of them, the client address)."""
    return _read(await sessions.sign_in(kit=kit, login_name=body.login_name, password=body.password, address=address))


@router.post("/tokens/refresh", response_model=SessionRead, responses=problem_responses(401, 403, 422))
async def refresh(body: RefreshTokenBody, kit: KitDep) -> SessionRead:
    """Spend a refresh token for a new pair; presenting a spent one ends every session of its family."""
    return _read(await sessions.refresh(kit=kit, refresh_token=body.refresh_token))


@router.post("/tokens/revoke", status_code=204, responses=problem_responses(422))
async def sign_out(body: RefreshTokenBody, kit: KitDep) -> None:
    await sessions.sign_out(kit=kit, refresh_token=body.refresh_token)
