"""Issue 12 item 11: login names are unique without regard to case, and sign-in ignores case; a phone verified on
one account (not disabled) is bound to no other, at registration or by a phone change. A phone only on file (not
verified) blocks nobody: anyone could type anyone's number, and only the code proves it."""

import pytest

from .conftest import Identity, Physician, a_phone, an_id_number

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def open_account(identity: Identity, login: str, *, phone: str, id_number: str = ""):
    identification = {"real_name": "欧阳·明", "id_number": id_number or an_id_number(), "privacy_consent": True}
    step1 = await identity.http.post("/registrations", json={**identification, **await identity.captcha()})
    assert step1.status_code == 201, step1.text
    password = "Practice2026"
    body = {
        "phone": phone, "email": f"{login}@example.cn", "login_name": login,
        "password": password, "password_confirmation": password,
    }  # fmt: skip
    return await identity.http.post(f"/registrations/{step1.json()['registration_id']}/account", json=body)


async def test_login_names_that_differ_only_in_case_are_one_name(identity: Identity, login):
    person = await identity.register(login)
    taken = await open_account(identity, login.upper(), phone=a_phone())
    assert taken.status_code == 409, taken.text
    assert [e["field"] for e in taken.json()["errors"]] == ["login_name"]
    shouted = await identity.http.post("/tokens", json={"login_name": login.upper(), "password": person.password})
    assert shouted.status_code == 200, shouted.text


async def test_a_verified_phone_cannot_open_a_second_account(identity: Identity, login):
    owner = await identity.secured(login)
    again = await open_account(identity, login + "b", phone=owner.phone)
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("phone-taken")
    assert [e["field"] for e in again.json()["errors"]] == ["phone"]


async def test_an_unverified_phone_may_be_on_file_twice_but_is_verified_once(identity: Identity, login):
    first = await identity.register(login)
    second = Physician(login=login + "s", id_number=an_id_number(), phone=first.phone, email="")
    opened = await open_account(identity, second.login, phone=first.phone, id_number=second.id_number)
    assert opened.status_code == 201, opened.text
    await identity.put_in_registry("欧阳·明", second.id_number)
    await identity.sign_in(second)
    await identity.http.post("/me/qualification-check", headers=identity.as_(second.token))
    # the first account proves the phone; the second may no longer have codes sent to it
    await identity.put_in_registry("欧阳·明", first.id_number)
    await identity.sign_in(first)
    await identity.http.post("/me/qualification-check", headers=identity.as_(first.token))
    sent = await identity.http.post("/me/security-codes", json={"channel": "sms"}, headers=identity.as_(first.token))
    assert sent.status_code == 202
    code = await identity.last_code(first.account_id, "verify_phone")
    body = {"channel": "sms", "code": code}
    proved = await identity.http.post("/me/security-verification", json=body, headers=identity.as_(first.token))
    assert proved.json()["status"] == "secured"
    late = await identity.http.post("/me/security-codes", json={"channel": "sms"}, headers=identity.as_(second.token))
    assert late.status_code == 409 and late.json()["type"].endswith("phone-taken"), late.text
    by_mail = await identity.http.post(
        "/me/security-codes", json={"channel": "email"}, headers=identity.as_(second.token)
    )
    assert by_mail.status_code == 202  # the e-mail way stays open


async def test_a_phone_change_to_a_phone_verified_elsewhere_is_refused(identity: Identity, login):
    owner = await identity.secured(login)
    mover = await identity.secured(login + "m")
    headers = identity.as_(mover.token)
    assert (await identity.http.post("/me/phone/old-phone-code", headers=headers)).status_code == 202
    code = await identity.last_code(mover.account_id, "change_phone_old")
    proof = (await identity.http.post("/me/phone/old-phone-proof", json={"code": code}, headers=headers)).json()
    body = {"proof": proof["proof"], "phone": owner.phone}
    refused = await identity.http.post("/me/phone/new-phone-code", json=body, headers=headers)
    assert refused.status_code == 409 and refused.json()["type"].endswith("phone-taken"), refused.text
    assert await identity.issued_codes(mover.account_id, "change_phone_new") == []
