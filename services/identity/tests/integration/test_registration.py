"""Two-step registration: every rule, each with the refusal a person would see beside the field."""

import asyncio

import pytest

from .conftest import Identity, a_phone, an_id_number

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def fields(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


async def step1(identity: Identity, **overrides):
    body = {"real_name": "欧阳·明", "id_number": an_id_number(), "privacy_consent": True, **await identity.captcha()}
    return await identity.http.post("/registrations", json={**body, **overrides})


async def test_a_physician_registers_in_two_steps_and_sees_only_masked_numbers(identity: Identity, login):
    person = await identity.register(login, real_name="阿依古丽·买买提")
    await identity.sign_in(person)
    me = (await identity.http.get("/me", headers=identity.as_(person.token))).json()
    assert me["status"] == "registered"
    assert me["real_name"] == "阿依古丽·买买提"
    assert me["id_number_masked"] == person.id_number[:6] + "********" + person.id_number[-4:]
    assert me["phone_masked"] == person.phone[:3] + "****" + person.phone[-4:]
    assert person.id_number not in str(me) and person.phone not in str(me)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"real_name": "Li Ming"}, "real_name"),
        ({"real_name": "李明2"}, "real_name"),
        ({"id_number": "110105199001011230"}, "id_number"),  # wrong check digit
        ({"id_number": "11010519900101123"}, "id_number"),  # 17 characters
        ({"privacy_consent": False}, "privacy_consent"),
        ({"captcha_answer": "WRONG"}, "captcha_answer"),
    ],
)
async def test_step_one_refuses_each_bad_field(identity: Identity, overrides, field):
    response = await step1(identity, **overrides)
    assert response.status_code == 422, response.text
    assert field in fields(response), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_step_one_reports_every_bad_field_at_once(identity: Identity):
    response = await step1(identity, real_name="Li Ming", id_number="110105199001011230")
    assert set(fields(response)) == {"real_name", "id_number"}


async def test_a_captcha_is_good_for_one_attempt(identity: Identity):
    captcha = await identity.captcha()
    assert (await step1(identity, **captcha)).status_code == 201
    again = await step1(identity, **captcha)
    assert again.status_code == 422 and "captcha_answer" in fields(again)


async def test_the_captcha_is_a_real_png_image(identity: Identity):
    body = (await identity.http.post("/captchas")).json()
    assert body["image"].startswith("data:image/png;base64,")
    assert body["expires_in"] <= 300


async def test_one_account_per_id_number(identity: Identity, login):
    person = await identity.register(login)
    response = await step1(identity, id_number=person.id_number)
    assert response.status_code == 409
    assert "id_number" in fields(response)


def account_details(login: str, **overrides) -> dict[str, str]:
    return {
        "phone": a_phone(), "email": f"{login}@example.cn", "login_name": login,
        "password": "Practice2026", "password_confirmation": "Practice2026", **overrides,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "23912345678"}, "phone"),
        ({"phone": "1391234567"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"login_name": "a b"}, "login_name"),
        ({"password": "abc12", "password_confirmation": "abc12"}, "password"),  # too short
        ({"password": "abcdefgh", "password_confirmation": "abcdefgh"}, "password"),  # no digit
        ({"password": "12345678", "password_confirmation": "12345678"}, "password"),  # no letter
        ({"password": "Abcdefgh12345678x", "password_confirmation": "Abcdefgh12345678x"}, "password"),  # 17
        ({"password": "woaini1314", "password_confirmation": "woaini1314"}, "password"),  # common
        ({"password": "Password1", "password_confirmation": "Password1"}, "password"),  # common, any case
        ({"password_confirmation": "Practice2027"}, "password_confirmation"),
    ],
)
async def test_step_two_refuses_each_bad_field(identity: Identity, login, overrides, field):
    ticket = (await step1(identity)).json()["registration_id"]
    response = await identity.http.post(f"/registrations/{ticket}/account", json=account_details(login, **overrides))
    assert response.status_code == 422, response.text
    assert field in fields(response), response.text
    # the ticket survives a refused form: the corrected form goes through
    fixed = await identity.http.post(f"/registrations/{ticket}/account", json=account_details(login))
    assert fixed.status_code == 201, fixed.text


async def test_passwords_are_case_sensitive(identity: Identity, login):
    person = await identity.register(login)
    wrong_case = await identity.http.post("/tokens", json={"login_name": login, "password": person.password.lower()})
    assert wrong_case.status_code == 401


async def test_login_names_are_unique(identity: Identity, login):
    await identity.register(login)
    ticket = (await step1(identity)).json()["registration_id"]
    response = await identity.http.post(f"/registrations/{ticket}/account", json=account_details(login))
    assert response.status_code == 409
    assert "login_name" in fields(response)


async def test_two_registrations_racing_for_one_login_name_open_one_account(identity: Identity, login):
    tickets = [(await step1(identity)).json()["registration_id"] for _ in range(2)]
    responses = await asyncio.gather(
        *(identity.http.post(f"/registrations/{t}/account", json=account_details(login)) for t in tickets)
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    [refused] = [r for r in responses if r.status_code == 409]
    assert refused.json()["type"].endswith("already-registered") and "login_name" in fields(refused)


async def test_a_spent_or_unknown_registration_ticket_is_refused(identity: Identity, login):
    ticket = (await step1(identity)).json()["registration_id"]
    assert (
        await identity.http.post(f"/registrations/{ticket}/account", json=account_details(login))
    ).status_code == 201
    again = await identity.http.post(f"/registrations/{ticket}/account", json=account_details(login + "x"))
    assert again.status_code == 410
    unknown = await identity.http.post("/registrations/nonsense/account", json=account_details(login + "y"))
    assert unknown.status_code == 410
