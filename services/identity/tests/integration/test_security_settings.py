"""Security settings and recovery: change phone, verify or change e-mail, change password, forgot password.
Every change publishes an event so that notifications can tell the person."""

import pytest

from .conftest import Identity, a_phone

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def test_changing_the_phone_needs_the_old_phone_then_the_new(identity: Identity, login):
    person = await identity.secured(login)
    headers, new_phone = identity.as_(person.token), a_phone()
    skipped = await identity.http.post(
        "/me/phone/new-phone-code", json={"proof": "made-up", "phone": new_phone}, headers=headers
    )
    assert skipped.status_code == 409 and skipped.json()["type"].endswith("old-phone-not-proven")

    assert (await identity.http.post("/me/phone/old-phone-code", headers=headers)).status_code == 202
    old_code = await identity.last_code(person.account_id, "change_phone_old")
    proof = (await identity.http.post("/me/phone/old-phone-proof", json={"code": old_code}, headers=headers)).json()[
        "proof"
    ]

    bad = await identity.http.post("/me/phone/new-phone-code", json={"proof": proof, "phone": "12345"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phone"
    sent = await identity.http.post(
        "/me/phone/new-phone-code", json={"proof": proof, "phone": new_phone}, headers=headers
    )
    assert sent.status_code == 202
    [issued] = await identity.issued_codes(person.account_id, "change_phone_new")
    assert issued["destination"] == new_phone
    # the code is bound to the new number: using it for a different number fails
    other = await identity.http.put(
        "/me/phone", json={"proof": proof, "phone": a_phone(), "code": issued["code"]}, headers=headers
    )
    assert other.status_code == 422
    changed = await identity.http.put(
        "/me/phone", json={"proof": proof, "phone": new_phone, "code": issued["code"]}, headers=headers
    )
    assert changed.status_code == 204, changed.text
    assert (await identity.me(person))["phone_masked"] == new_phone[:3] + "****" + new_phone[-4:]
    [event] = await identity.published("identity.phone_changed", person.account_id)
    assert event["old_phone"] == person.phone and event["new_phone"] == new_phone


async def test_the_email_changes_through_a_single_use_link(identity: Identity, login):
    person = await identity.secured(login)
    headers, new_email = identity.as_(person.token), f"new.{login}@example.cn"
    differ = await identity.http.post(
        "/me/email/verification-link",
        json={"email": new_email, "email_confirmation": "other@example.cn", **await identity.captcha()},
        headers=headers,
    )
    assert differ.status_code == 422 and differ.json()["errors"][0]["field"] == "email_confirmation"
    no_captcha = await identity.http.post(
        "/me/email/verification-link",
        json={
            "email": new_email, "email_confirmation": new_email,
            "captcha_id": (await identity.captcha())["captcha_id"], "captcha_answer": "WRONG",
        },
        headers=headers,
    )  # fmt: skip
    assert no_captcha.status_code == 422
    sent = await identity.http.post(
        "/me/email/verification-link",
        json={"email": new_email, "email_confirmation": new_email, **await identity.captcha()},
        headers=headers,
    )
    assert sent.status_code == 202
    [link] = await identity.published("identity.email_link_issued", person.account_id)
    opened = identity.opened(link["link"])
    assert link["email"] == new_email and "/verify-email?token=" in opened
    token = opened.split("token=")[1]
    assert (await identity.http.post("/email-verifications", json={"token": token})).status_code == 204
    assert (await identity.http.post("/email-verifications", json={"token": token})).status_code == 410
    me = await identity.me(person)
    assert me["email"] == new_email and me["email_verified"]
    [event] = await identity.published("identity.email_changed", person.account_id)
    assert event == {"account_id": person.account_id, "old_email": person.email, "new_email": new_email}


async def test_changing_the_password_needs_the_old_one_and_ends_other_sessions(identity: Identity, login):
    person = await identity.register(login)
    session = await identity.sign_in(person)
    headers = identity.as_(person.token)
    change = {"old_password": "Wrong2026", "new_password": "Renewed2026", "new_password_confirmation": "Renewed2026"}
    wrong_old = await identity.http.put("/me/password", json=change, headers=headers)
    assert wrong_old.status_code == 422 and wrong_old.json()["errors"][0]["field"] == "old_password"
    common = {
        **change,
        "old_password": person.password,
        "new_password": "qwe123456",
        "new_password_confirmation": "qwe123456",
    }
    assert (await identity.http.put("/me/password", json=common, headers=headers)).status_code == 422
    ok = await identity.http.put("/me/password", json={**change, "old_password": person.password}, headers=headers)
    assert ok.status_code == 204
    refresh = await identity.http.post("/tokens/refresh", json={"refresh_token": session["refresh_token"]})
    assert refresh.status_code == 401
    assert (
        await identity.http.post("/tokens", json={"login_name": login, "password": "Renewed2026"})
    ).status_code == 200
    assert (await identity.published("identity.password_changed", person.account_id))[-1]["reset"] is False


async def test_forgot_password_through_the_verified_phone(identity: Identity, login):
    person = await identity.secured(login)
    # the e-mail is not verified: the same polite answer, and no code goes out
    by_email = await identity.http.post(
        "/password-recovery/codes", json={"login_name": login, "channel": "email", **await identity.captcha()}
    )
    assert by_email.status_code == 202
    assert await identity.issued_codes(person.account_id, "reset_password") == []
    unknown = await identity.http.post(
        "/password-recovery/codes", json={"login_name": login + "zz", "channel": "sms", **await identity.captcha()}
    )
    assert unknown.status_code == 202 and unknown.json() == by_email.json()

    for _ in range(5):  # locked out by wrong passwords; recovery lifts the lock
        await identity.http.post("/tokens", json={"login_name": login, "password": "Wrong2026x"})
    sent = await identity.http.post(
        "/password-recovery/codes", json={"login_name": login, "channel": "sms", **await identity.captcha()}
    )
    assert sent.status_code == 202
    code = await identity.last_code(person.account_id, "reset_password")
    reset = {
        "login_name": login,
        "channel": "sms",
        "code": code,
        "new_password": "Found2026",
        "new_password_confirmation": "Found2026",
    }
    assert (await identity.http.post("/password-recovery", json=reset)).status_code == 204
    assert (await identity.http.post("/password-recovery", json=reset)).status_code == 422  # single use
    assert (await identity.http.post("/tokens", json={"login_name": login, "password": "Found2026"})).status_code == 200
    assert (await identity.published("identity.password_changed", person.account_id))[-1]["reset"] is True
