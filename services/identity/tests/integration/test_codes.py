"""Verification codes: hashed in Redis, expiring within 10 minutes, single use, bound to purpose and destination,
five wrong tries at most, one send a minute, a daily cap per destination and an hourly one per address."""

import uuid

import pytest

from identity.domain.codes import CodeLimits, CodeRejected

from .conftest import Identity

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def book(identity: Identity):
    return identity.app.state.dependencies.codes


async def test_a_code_is_stored_hashed_and_expires_within_ten_minutes(identity: Identity):
    subject = str(uuid.uuid4())
    code = await book(identity).issue(
        purpose="verify_phone", subject=subject, destination="13900000001", address=None, limits=CodeLimits(600)
    )
    redis = identity.app.state.runtime.redis
    keys = [k async for k in redis.scan_iter(match=identity.settings.redis_key("*"))]
    stored = [await redis.hgetall(k) for k in keys if await redis.type(k) == "hash"]
    assert all(code not in str(value) for value in stored)
    ttl = await redis.ttl(identity.settings.redis_key("code", "verify_phone", subject))
    assert 0 < ttl <= 600
    assert len(code) == 6 and code.isdigit()


async def test_a_code_is_single_use_and_bound_to_purpose_and_destination(identity: Identity):
    subject, limits = str(uuid.uuid4()), CodeLimits(600)
    codes = book(identity)
    code = await codes.issue(
        purpose="verify_phone", subject=subject, destination="13900000002", address=None, limits=limits
    )
    with pytest.raises(CodeRejected):  # another purpose
        await codes.redeem(
            purpose="reset_password", subject=subject, destination="13900000002", code=code, limits=limits
        )
    with pytest.raises(CodeRejected) as other_phone:
        await codes.redeem(purpose="verify_phone", subject=subject, destination="13900000003", code=code, limits=limits)
    assert other_phone.value.problem == "code-wrong"
    await codes.redeem(purpose="verify_phone", subject=subject, destination="13900000002", code=code, limits=limits)
    with pytest.raises(CodeRejected) as again:
        await codes.redeem(purpose="verify_phone", subject=subject, destination="13900000002", code=code, limits=limits)
    assert again.value.problem == "code-expired"


async def test_five_wrong_tries_void_the_code(identity: Identity):
    subject, limits = str(uuid.uuid4()), CodeLimits(600)
    codes = book(identity)
    code = await codes.issue(
        purpose="verify_phone", subject=subject, destination="13900000004", address=None, limits=limits
    )
    wrong = "000000" if code != "000000" else "111111"
    problems = []
    for _ in range(5):
        with pytest.raises(CodeRejected) as rejected:
            await codes.redeem(
                purpose="verify_phone", subject=subject, destination="13900000004", code=wrong, limits=limits
            )
        problems.append(rejected.value.problem)
    assert problems == ["code-wrong"] * 4 + ["code-exhausted"]
    with pytest.raises(CodeRejected):  # even the right code is void now
        await codes.redeem(purpose="verify_phone", subject=subject, destination="13900000004", code=code, limits=limits)


async def test_a_second_send_within_a_minute_is_refused(identity: Identity, login):
    person = await identity.secured(login)  # one phone code sent moments ago, for the security step
    again = await identity.http.post("/me/phone/old-phone-code", headers=identity.as_(person.token))
    assert again.status_code == 202  # another purpose: allowed
    too_soon = await identity.http.post("/me/phone/old-phone-code", headers=identity.as_(person.token))
    assert too_soon.status_code == 429
    assert too_soon.json()["type"].endswith("code-resend-too-soon")
    assert 0 < int(too_soon.headers["Retry-After"]) <= identity.settings.code_resend_seconds


async def test_caps_per_destination_daily_and_per_address_hourly(identity: Identity):
    # issue 13 item 3: an address shared by a hospital slows down for the hour, it is not shut for the day
    limits = CodeLimits(600, resend_after_seconds=1, per_destination_daily=3, per_address_hourly=5)
    codes, phone, address = book(identity), f"139{uuid.uuid4().int % 10**8:08d}", f"192.0.2.{uuid.uuid4().int % 250}"
    for purpose in ("a", "b", "c"):
        await codes.issue(purpose=purpose, subject="s", destination=phone, address=address, limits=limits)
    with pytest.raises(CodeRejected) as per_phone:
        await codes.issue(purpose="d", subject="s", destination=phone, address=address, limits=limits)
    assert per_phone.value.problem == "code-daily-limit" and per_phone.value.retry_after
    for purpose in ("e", "f"):  # other phones, same address: the address runs out after five sends in all
        await codes.issue(purpose=purpose, subject="s", destination=f"{phone}{purpose}", address=address, limits=limits)
    with pytest.raises(CodeRejected) as per_address:
        await codes.issue(purpose="g", subject="s", destination=f"{phone}g", address=address, limits=limits)
    assert per_address.value.problem == "code-address-limit"
    assert 0 < (per_address.value.retry_after or 0) <= 3600


async def test_the_phone_is_verified_with_the_code_over_http(identity: Identity, login):
    person = await identity.register(login)
    await identity.put_in_registry("欧阳·明", person.id_number)
    await identity.sign_in(person)
    headers = identity.as_(person.token)
    early = await identity.http.post("/me/security-codes", json={"channel": "sms"}, headers=headers)
    assert early.status_code == 409 and early.json()["type"].endswith("not-verified")
    await identity.http.post("/me/qualification-check", headers=headers)
    assert (await identity.http.post("/me/security-codes", json={"channel": "sms"}, headers=headers)).status_code == 202
    [issued] = await identity.issued_codes(person.account_id, "verify_phone")
    assert issued["destination"] == person.phone and issued["channel"] == "sms"
    wrong = "000000" if issued["code"] != "000000" else "111111"
    refused = await identity.http.post(
        "/me/security-verification", json={"channel": "sms", "code": wrong}, headers=headers
    )
    assert refused.status_code == 422 and "再错 4 次" in refused.json()["errors"][0]["message"]  # Chinese by default
    ok = await identity.http.post(
        "/me/security-verification", json={"channel": "sms", "code": issued["code"]}, headers=headers
    )
    assert ok.json()["status"] == "secured" and ok.json()["phone_verified"]


async def test_the_email_can_stand_in_when_sms_does_not_arrive(identity: Identity, login):
    person = await identity.register(login)
    await identity.put_in_registry("欧阳·明", person.id_number)
    await identity.sign_in(person)
    headers = identity.as_(person.token)
    await identity.http.post("/me/qualification-check", headers=headers)
    await identity.http.post("/me/security-codes", json={"channel": "email"}, headers=headers)
    [issued] = await identity.issued_codes(person.account_id, "verify_email")
    assert issued["destination"] == person.email and issued["channel"] == "email"
    ok = await identity.http.post(
        "/me/security-verification", json={"channel": "email", "code": issued["code"]}, headers=headers
    )
    assert ok.json()["status"] == "secured" and ok.json()["email_verified"]
