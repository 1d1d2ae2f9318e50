"""Signing in, refreshing, signing out, and the public keys that verify access tokens.

Two kinds of client hold a session. A program gets the refresh token in the body and sends it back in the body.
The portal asks for a browser session (header `X-Regsys-Session: cookie`): the refresh token is then set as an
HttpOnly, SameSite=Strict cookie scoped to these endpoints and never appears in the body, so script on the page
cannot read it, and a reload keeps the person signed in. Refreshing or signing out with the cookie needs the same
header, which no other site's page can send (a custom header needs a CORS preflight, and none is allowed): with
SameSite=Strict that is the CSRF defence.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Header, Request, Response

from identity.api.deps import ClientAddress, Deps
from identity.api.schemas import RefreshTokenBody, SessionRead, SignIn
from identity.service import sessions
from regsys_runtime.auth import CurrentPrincipal
from regsys_runtime.errors import Message, Unauthenticated
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["sessions"])

COOKIE = "regsys_refresh"
BROWSER_SESSION = "cookie"  # the value of X-Regsys-Session that asks for one
SessionKind = Annotated[str | None, Header(alias="X-Regsys-Session", description="`cookie`: a browser session")]
RefreshCookie = Annotated[str | None, Cookie(alias=COOKIE, include_in_schema=False)]
NO_REFRESH_TOKEN = Message(
    "No refresh token: send it in the body, or sign in again.", zh="没有刷新令牌：请在请求中提供，或重新登录。"
)


def _read(session: sessions.Session, request: Request, response: Response, kind: str | None) -> SessionRead:
    browser = kind == BROWSER_SESSION
    if browser:
        response.set_cookie(
            COOKIE, session.refresh_token, max_age=session.refresh_expires_in, path=_cookie_path(request),
            httponly=True, samesite="strict", secure=request.url.scheme == "https",
        )  # fmt: skip
    return SessionRead(
        access_token=session.access_token,
        refresh_token=None if browser else session.refresh_token,
        expires_in=session.expires_in,
        refresh_expires_in=session.refresh_expires_in,
    )


def _cookie_path(request: Request) -> str:
    """Where the cookie goes back: these endpoints only, under the path the gateway serves identity at."""
    return f"{request.scope.get('root_path', '')}/tokens"


def _clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path=_cookie_path(request), httponly=True, samesite="strict")


def _refresh_token(body: RefreshTokenBody | None, cookie: str | None, kind: str | None) -> str:
    """The body's token, else the cookie's when the header asks for the browser session."""
    if body is not None and body.refresh_token:
        return body.refresh_token
    if cookie and kind == BROWSER_SESSION:
        return cookie
    raise Unauthenticated("no-refresh-token", NO_REFRESH_TOKEN)


@router.get("/.well-known/jwks.json")
async def jwks(deps: Deps) -> dict[str, Any]:
    return await deps.issuer.jwks(uow=deps.uow())


@router.post("/tokens", response_model=SessionRead, responses=problem_responses(401, 403, 422, 429))
async def sign_in(
    body: SignIn, deps: Deps, address: ClientAddress, request: Request, response: Response, kind: SessionKind = None
) -> SessionRead:
    """Sign in (the login name without regard to case). Repeated wrong passwords lock the login name for a while;
    many failures from one client address make its sign-ins need a captcha (`captcha-required`), never a lock.
    With `X-Regsys-Session: cookie` the refresh token is set as an HttpOnly cookie instead of returned."""
    captcha = (
        sessions.CaptchaAnswer(body.captcha_id, body.captcha_answer or "") if body.captcha_id is not None else None
    )
    session = await sessions.sign_in(
        deps=deps, login_name=body.login_name, password=body.password, address=address, captcha=captcha,
        now=deps.clock.now(),
    )  # fmt: skip
    return _read(session, request, response, kind)


@router.post("/tokens/refresh", response_model=SessionRead, responses=problem_responses(401, 403, 422))
async def refresh(
    deps: Deps, request: Request, response: Response, cookie: RefreshCookie = None, kind: SessionKind = None,
    body: RefreshTokenBody | None = None,
) -> SessionRead:  # fmt: skip
    """Spend a refresh token (the body's, or a browser session's cookie) for a new pair; presenting a spent one
    ends every session of its family."""
    token = _refresh_token(body, cookie, kind)
    return _read(await sessions.refresh(deps=deps, refresh_token=token, now=deps.clock.now()), request, response, kind)


@router.post("/tokens/revoke", status_code=204, responses=problem_responses(401, 422))
async def sign_out(
    deps: Deps, request: Request, response: Response, cookie: RefreshCookie = None, kind: SessionKind = None,
    body: RefreshTokenBody | None = None,
) -> None:  # fmt: skip
    """Sign out: the session ends, its access tokens refused by every service within seconds (and a browser
    session's cookie is cleared)."""
    token = _refresh_token(body, cookie, kind)
    _clear_cookie(request, response)
    await sessions.sign_out(deps=deps, refresh_token=token, now=deps.clock.now())


@router.post("/tokens/revoke-all", status_code=204, responses=problem_responses(401))
async def sign_out_everywhere(principal: CurrentPrincipal, deps: Deps, request: Request, response: Response) -> None:
    """Sign out on every device: every session of the caller's account ends, their access tokens refused by every
    service within seconds (and this browser's cookie is cleared)."""
    _clear_cookie(request, response)
    await sessions.sign_out_everywhere(deps=deps, account_id=principal.account_id, now=deps.clock.now())
