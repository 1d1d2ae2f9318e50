"""A browser session (X-Regsys-Session: cookie): the refresh token is an HttpOnly, SameSite=Strict cookie scoped to
the token endpoints, never in a body script could read; refreshing and signing out with it need the header."""

import pytest

from .conftest import Identity, refused_soon

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

BROWSER = {"X-Regsys-Session": "cookie"}


async def test_the_refresh_token_of_a_browser_session_is_an_http_only_cookie(identity: Identity, login):
    person = await identity.register(login)
    signed_in = await identity.http.post(
        "/tokens", json={"login_name": login, "password": person.password}, headers=BROWSER
    )
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["refresh_token"] is None
    cookie = signed_in.headers["set-cookie"]
    assert cookie.startswith("regsys_refresh=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/tokens", "Max-Age="):
        assert attribute.lower() in cookie.lower(), cookie
    token = identity.http.cookies["regsys_refresh"]

    renewed = await identity.http.post("/tokens/refresh", headers=BROWSER)  # the client sends the cookie back
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["access_token"] and renewed.json()["refresh_token"] is None
    assert identity.http.cookies["regsys_refresh"] != token, "the cookie rotates with the token"

    signed_out = await identity.http.post("/tokens/revoke", headers=BROWSER)
    assert signed_out.status_code == 204
    assert "regsys_refresh" not in identity.http.cookies
    identity.http.cookies.set("regsys_refresh", token)
    assert (await identity.http.post("/tokens/refresh", headers=BROWSER)).status_code == 401
    identity.http.cookies.clear()


async def test_the_cookie_alone_refreshes_nothing(identity: Identity, login):
    """Without the header (a form or a link from another site) the cookie is not taken: no CSRF."""
    person = await identity.register(login)
    await identity.http.post("/tokens", json={"login_name": login, "password": person.password}, headers=BROWSER)
    try:
        refused = await identity.http.post("/tokens/refresh")
        assert refused.status_code == 401
        assert refused.json()["type"].endswith("no-refresh-token")
        assert (await identity.http.post("/tokens/revoke")).status_code == 401
        assert (await identity.http.post("/tokens/refresh", headers=BROWSER)).status_code == 200, "still signed in"
    finally:
        identity.http.cookies.clear()


async def test_a_program_still_gets_and_sends_the_token_in_the_body(identity: Identity, login):
    person = await identity.register(login)
    session = await identity.sign_in(person)
    assert session["refresh_token"] and "regsys_refresh" not in identity.http.cookies
    renewed = await identity.http.post("/tokens/refresh", json={"refresh_token": session["refresh_token"]})
    assert renewed.status_code == 200 and renewed.json()["refresh_token"]


async def test_signing_out_everywhere_ends_every_session_of_the_account(identity: Identity, login):
    person = await identity.register(login)
    phone = await identity.sign_in(person)  # another device, signed in earlier
    laptop = await identity.http.post(
        "/tokens", json={"login_name": login, "password": person.password}, headers=BROWSER
    )
    try:
        token = laptop.json()["access_token"]
        ended = await identity.http.post("/tokens/revoke-all", headers={**BROWSER, **identity.as_(token)})
        assert ended.status_code == 204
        assert "regsys_refresh" not in identity.http.cookies
        refused = await identity.http.post("/tokens/refresh", json={"refresh_token": phone["refresh_token"]})
        assert refused.status_code == 401, "the other device's session ended too"
        await refused_soon(identity, token)  # once SessionsEnded has gone round
    finally:
        identity.http.cookies.clear()
