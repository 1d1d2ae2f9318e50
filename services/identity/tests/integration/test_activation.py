"""The qualification check, and the three ways to activation: an institution's code, its automatic activation,
and (TCM-specialty) the qualification certificate code. The hand-off with institutions runs over the broker."""

import asyncio
import time
import uuid

import pytest

from contracts.enums import ActivationMethod, Channel
from contracts.institutions.v1 import ActivationGranted

from .conftest import Identity, Physician

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def until(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not (value := await check()):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)
    return value


async def checked(identity: Identity, person: Physician) -> dict:
    await identity.sign_in(person)
    return (await identity.http.post("/me/qualification-check", headers=identity.as_(person.token))).json()


async def test_qualification_check_says_why_it_failed(identity: Identity, login):
    absent = await identity.register(login)
    result = await checked(identity, absent)
    assert result["status"] == "unverified"
    assert "not in the qualification registry" in result["status_reason"]

    other_name = await identity.register(login + "n")
    await identity.put_in_registry("欧阳·亮", other_name.id_number)
    result = await checked(identity, other_name)
    assert result["status"] == "unverified" and "name differs" in result["status_reason"]
    # the registry is corrected; checking again passes
    await identity.put_in_registry("欧阳·明", other_name.id_number, category="口腔")
    again = (await identity.http.post("/me/qualification-check", headers=identity.as_(other_name.token))).json()
    assert again["status"] == "verified" and again["category"] == "dental" and again["status_reason"] is None


async def test_activation_must_wait_for_the_security_step(identity: Identity, login):
    person = await identity.register(login)
    await identity.put_in_registry("欧阳·明", person.id_number)
    await checked(identity, person)
    early = await identity.http.post(
        "/me/activation-requests", json={"institution_id": str(uuid.uuid4())}, headers=identity.as_(person.token)
    )
    assert early.status_code == 409 and early.json()["type"].endswith("not-secured")


async def test_activation_by_the_code_an_institution_had_sent(identity: Identity, login):
    person = await identity.secured(login)
    headers, institution_id = identity.as_(person.token), uuid.uuid4()
    asked = await identity.http.post(
        "/me/activation-requests", json={"institution_id": str(institution_id)}, headers=headers
    )
    assert asked.status_code == 202
    no_code_yet = await identity.http.post("/me/activation", json={"code": "123456"}, headers=headers)
    assert no_code_yet.status_code == 409
    granted = ActivationGranted(
        account_id=uuid.UUID(person.account_id), institution_id=institution_id,
        method=ActivationMethod.ACTIVATION_CODE, channel=Channel.EMAIL,
    )  # fmt: skip
    await identity.hear(granted, person.account_id)
    [issued] = await until(lambda: identity.issued_codes(person.account_id, "activation"))
    assert issued["channel"] == "email" and issued["destination"] == person.email
    activated = await identity.http.post("/me/activation", json={"code": issued["code"]}, headers=headers)
    assert activated.status_code == 200 and activated.json()["status"] == "active", activated.text


async def test_automatic_activation_applies_on_the_next_refresh(identity: Identity, login):
    person = await identity.secured(login)
    granted = ActivationGranted(
        account_id=uuid.UUID(person.account_id), institution_id=uuid.uuid4(), method=ActivationMethod.AUTOMATIC
    )
    await identity.hear(granted, person.account_id)
    assert await until(lambda: _is_active(identity, person))


async def _is_active(identity: Identity, person: Physician) -> bool:
    return (await identity.me(person))["status"] == "active"


async def test_tcm_specialty_physicians_activate_with_their_certificate_code(identity: Identity, login):
    person = await identity.secured(login, category="中医(专长)")
    headers = identity.as_(person.token)
    assert (await identity.me(person))["category"] == "tcm_specialty"
    to_institution = await identity.http.post(
        "/me/activation-requests", json={"institution_id": str(uuid.uuid4())}, headers=headers
    )
    assert to_institution.status_code == 409 and "资格证书编码" in to_institution.json()["detail"]  # Chinese by default
    wrong = await identity.http.post(
        "/me/activation/certificate-code", json={"certificate_code": "Q1"}, headers=headers
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "certificate_code"
    right = await identity.http.post(
        "/me/activation/certificate-code", json={"certificate_code": person.certificate_code.lower()}, headers=headers
    )
    assert right.status_code == 200 and right.json()["status"] == "active"


async def test_clinical_physicians_cannot_use_the_certificate_code(identity: Identity, login):
    person = await identity.secured(login)
    refused = await identity.http.post(
        "/me/activation/certificate-code", json={"certificate_code": person.certificate_code},
        headers=identity.as_(person.token),
    )  # fmt: skip
    assert refused.status_code == 409


async def test_guessing_the_certificate_code_is_limited(identity: Identity, login):
    person = await identity.secured(login, category="中医(专长)")
    headers = identity.as_(person.token)
    statuses = []
    for guess in range(6):
        body = {"certificate_code": f"G{guess}"}
        statuses.append(
            (await identity.http.post("/me/activation/certificate-code", json=body, headers=headers)).status_code
        )
    assert statuses == [422] * 5 + [429]
