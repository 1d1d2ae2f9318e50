"""Signing in, refreshing, signing out, and the public keys that verify access tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from identity.api.deps import ClientAddress, Deps
from identity.api.schemas import RefreshTokenBody, SessionRead, SignIn
from identity.service import sessions
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["sessions"])


def _read(session: sessions.Session) -> SessionRead:
    return SessionRead(
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        expires_in=session.expires_in,
        refresh_expires_in=session.refresh_expires_in,
    )


@router.get("/.well-known/jwks.json")
async def jwks(deps: Deps) -> dict[str, Any]:
    return await deps.issuer.jwks(uow=deps.uow())


@router.post("/tokens", response_model=SessionRead, responses=problem_responses(401, 403, 422, 429))
async def sign_in(body: SignIn, deps: Deps, address: ClientAddress) -> SessionRead:
    """Sign in (the login name without regard to case). Repeated wrong passwords lock the login name for a while;
    many failures from one client address make its sign-ins need a captcha (`captcha-required`), never a lock."""
    captcha = (
        sessions.CaptchaAnswer(body.captcha_id, body.captcha_answer or "") if body.captcha_id is not None else None
    )
    session = await sessions.sign_in(
        deps=deps, login_name=body.login_name, password=body.password, address=address, captcha=captcha,
        now=deps.clock.now(),
    )  # fmt: skip
    return _read(session)


@router.post("/tokens/refresh", response_model=SessionRead, responses=problem_responses(401, 403, 422))
async def refresh(body: RefreshTokenBody, deps: Deps) -> SessionRead:
    """Spend a refresh token for a new pair; presenting a spent one ends every session of its family."""
    return _read(await sessions.refresh(deps=deps, refresh_token=body.refresh_token, now=deps.clock.now()))


@router.post("/tokens/revoke", status_code=204, responses=problem_responses(422))
async def sign_out(body: RefreshTokenBody, deps: Deps) -> None:
    """Sign out: the session ends, its access tokens refused by every service within seconds."""
    await sessions.sign_out(deps=deps, refresh_token=body.refresh_token, now=deps.clock.now())
