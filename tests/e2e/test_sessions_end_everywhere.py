"""Issue 13 item 4: an access token stops working in every service within seconds once its session ends: after
sign-out, after the administrator disables the account, after a password change. Each service verifies tokens
itself and learns of the ending from identity's SessionsEnded event."""

import time

import pytest

from devstack.stack import Stack
from e2e.journeys import EVERY_SERVICE, Client, answers_everywhere, registered_physician, sign_in

pytestmark = pytest.mark.e2e


def works_everywhere(client: Client) -> None:
    answered = answers_everywhere(client)
    assert all(status in (200, 404) for status in answered.values()), answered


def refused_everywhere_soon(client: Client, *, timeout: float = 15.0) -> float:
    started = time.monotonic()
    while (answered := answers_everywhere(client)) != {service: 401 for service, _ in EVERY_SERVICE}:
        assert time.monotonic() - started < timeout, f"still accepted after {timeout} s: {answered}"
        time.sleep(0.2)
    return time.monotonic() - started


def new_session(stack: Stack, admin: Client) -> tuple[Client, dict, object]:
    physician = registered_physician(stack, admin)
    body = Client(stack).ok(
        "POST", "identity", "/tokens", json={"login_name": physician.login, "password": physician.password}
    )
    return Client(stack, body["access_token"]), body, physician


def test_after_sign_out_every_service_refuses_the_token(running_stack: Stack, admin: Client):
    session, body, physician = new_session(running_stack, admin)
    other = sign_in(running_stack, physician.login, physician.password)  # another session of the same person
    works_everywhere(session)
    Client(running_stack).ok("POST", "identity", "/tokens/revoke", json={"refresh_token": body["refresh_token"]})
    took = refused_everywhere_soon(session)
    print(f"\nsigned out: refused by all five services after {took:.1f} s")
    works_everywhere(other)


def test_after_the_account_is_disabled_every_service_refuses_the_token(running_stack: Stack, admin: Client):
    session, _, physician = new_session(running_stack, admin)
    works_everywhere(session)
    account_id = session.ok("GET", "identity", "/me")["account_id"]
    admin.ok("POST", "identity", f"/admin/accounts/{account_id}/disable", json={"reason": "执业资格被撤销"})
    change = {
        "old_password": physician.password,
        "new_password": "Takeover2026q",
        "new_password_confirmation": "Takeover2026q",
    }
    assert session.call("PUT", "identity", "/me/password", json=change).status_code in (401, 403)
    took = refused_everywhere_soon(session)
    print(f"\ndisabled: refused by all five services after {took:.1f} s")


def test_after_a_password_change_every_service_refuses_the_old_token(running_stack: Stack, admin: Client):
    session, _, physician = new_session(running_stack, admin)
    works_everywhere(session)
    change = {
        "old_password": physician.password,
        "new_password": "Changed2026q",
        "new_password_confirmation": "Changed2026q",
    }
    session.ok("PUT", "identity", "/me/password", json=change)
    fresh = sign_in(running_stack, physician.login, "Changed2026q")
    took = refused_everywhere_soon(session)
    print(f"\npassword changed: refused by all five services after {took:.1f} s")
    works_everywhere(fresh)
