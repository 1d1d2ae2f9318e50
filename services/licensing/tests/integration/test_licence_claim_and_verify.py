"""Claim | show, verify anywhere: the licence verifies, a changed byte does not, and who may see what."""

import asyncio
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from contracts.enums import ApplicationType, RegistrationStatus, ReviewOutcome, Role
from contracts.institutions.v1 import ReviewCompleted
from licensing.adapters.compact_licences import verify_offline
from licensing.adapters.tables import applications
from licensing.service import licences, tasks
from regsys_runtime.auth import Principal

from .conftest import Harness, a_physician, change_register

pytestmark = pytest.mark.integration


async def test_a_physician_with_a_valid_registration_claims_at_once_and_again_sees_the_same(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)

    first = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert first.status_code == 201, first.text
    licence = first.json()
    assert licence["status"] == "valid"
    content = licence["content"]
    assert content["name"] == "欧阳·明"
    assert content["id_number_masked"] == "110105********123X"
    assert content["certificate_number"] == physician.certificate_number
    assert content["category_name"] == "临床"
    assert content["practice_scope"] == "内科专业"
    assert content["main_institution"]["name"].endswith("人民医院")
    assert licence["number"] == f"DZ{physician.certificate_number}01"
    # the QR code holds the verification page's address with the small credential in it, all in capitals
    assert licence["credential"].startswith("RL1:")
    assert licence["verification_url"].startswith(f"{h.office.settings.public_base_url.upper()}/V/RL1:")

    again = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert again.status_code == 200
    assert again.json()["licence_id"] == licence["licence_id"]
    shown = await h.http.get("/licences/me", headers=h.token(physician.principal))
    assert shown.json()["document"] == licence["document"]
    assert shown.json()["verification_url"] == licence["verification_url"]

    issued = [e for e in await h.outbox(physician.account_id) if e["type"] == "licensing.licence_issued"]
    assert len(issued) == 1
    assert issued[0]["licence_number"] == licence["number"]
    assert issued[0]["institution_ids"] == [str(physician.main_institution_id)]


async def test_a_licence_verifies_without_a_token_and_a_changed_byte_is_a_bad_signature(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    document = (await h.http.post("/licences/me", headers=h.token(physician.principal))).json()["document"]

    checked = await h.http.post("/licences/verifications", json={"licence": document})
    assert checked.status_code == 200
    assert (checked.json()["result"], checked.json()["reason"]) == ("valid", "active")
    assert checked.json()["licence"]["name"] == "欧阳·明"

    header, payload, signature = document.split(".")
    middle = len(payload) // 2
    changed_payload = payload[:middle] + ("B" if payload[middle] == "A" else "A") + payload[middle + 1 :]
    changed_signature = ("B" if signature[0] == "A" else "A") + signature[1:]
    for changed in (f"{header}.{changed_payload}.{signature}", f"{header}.{payload}.{changed_signature}"):
        result = (await h.http.post("/licences/verifications", json={"licence": changed})).json()
        assert result["result"] == "bad_signature"
        assert result["reason"] == "signature-mismatch"
        assert result["licence"] is None

    for garbage, reason in (("not a licence", "malformed"), ("e30.e30.e30", "malformed")):
        result = (await h.http.post("/licences/verifications", json={"licence": garbage})).json()
        assert (result["result"], result["reason"]) == ("bad_signature", reason)
    assert (await h.http.post("/licences/verifications", json={"licence": ""})).status_code == 422

    page = await h.http.get("/verify", params={"licence": document})
    assert page.status_code == 200
    assert 'data-result="valid"' in page.text and "欧阳·明" in page.text
    bad_page = await h.http.get("/verify", params={"licence": f"{header}.{changed_payload}.{signature}"})
    assert 'data-result="bad_signature"' in bad_page.text and "欧阳" not in bad_page.text


async def test_who_cannot_claim_is_told_why(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    refused = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/not-registered")
    assert "initial practice registration" in refused.json()["detail"]
    assert (await h.http.get("/licences/me", headers=h.token(physician.principal))).status_code == 404

    await change_register(h, physician, status=RegistrationStatus.FILED)
    refused = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/registration-filed")

    await change_register(h, physician, status=RegistrationStatus.DEREGISTERED)
    refused = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert refused.json()["type"].endswith("/registration-deregistered")


async def test_only_physicians_claim_and_each_sees_only_their_own(licensing: Harness):
    h = licensing
    physician, other = await a_physician(h), await a_physician(h, name="张三")
    await change_register(h, physician)
    await h.http.post("/licences/me", headers=h.token(physician.principal))

    assert (await h.http.post("/licences/me")).status_code == 401
    staff = Principal(uuid.uuid4(), Role.INSTITUTION_STAFF, institution_id=physician.main_institution_id)
    assert (await h.http.post("/licences/me", headers=h.token(staff))).status_code == 403
    # the other physician has none of their own and cannot reach the first one's
    for path in ("/licences/me", "/licences/me/licence.png", "/licences/me/licence.pdf"):
        assert (await h.http.get(path, headers=h.token(other.principal))).status_code == 404


async def test_the_licence_downloads_as_png_and_pdf(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    await h.http.post("/licences/me", headers=h.token(physician.principal))

    png = await h.http.get("/licences/me/licence.png", headers=h.token(physician.principal))
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    pdf = await h.http.get("/licences/me/licence.pdf", headers=h.token(physician.principal))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().replace("\x00", "")
    assert "欧阳·明" in text and physician.certificate_number in text


async def test_an_expired_licence_answers_expired_and_claiming_again_issues_the_next_edition(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    long_ago = datetime.now(UTC) - timedelta(days=h.office.settings.licence_validity_days + 1)
    old, _ = await licences.claim(uow=h.uow(), office=h.office, account_id=physician.account_id, now=long_ago)

    result = (await h.http.post("/licences/verifications", json={"licence": old.document})).json()
    assert (result["result"], result["reason"]) == ("expired", "licence-expired")

    renewed = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert renewed.status_code == 201
    assert renewed.json()["number"].endswith("02")
    result = (await h.http.post("/licences/verifications", json={"licence": old.document})).json()
    assert (result["result"], result["reason"]) == ("revoked", "superseded")
    assert result["current_licence_number"] == renewed.json()["number"]


async def test_the_officers_approval_of_an_initial_registration_puts_the_physician_on_the_register(
    licensing: Harness,
):
    """The existing place where the register changes calls the licence's entry point."""
    h = licensing
    physician = await a_physician(h)
    query = select(applications.c.id).where(applications.c.account_id == physician.account_id)
    async with h.uow() as uow:
        application_id = await uow.session.scalar(query)
    review = ReviewCompleted(
        application_id=application_id,
        account_id=physician.account_id,
        application_type=ApplicationType.INITIAL_REGISTRATION,
        institution_id=physician.main_institution_id,
        region_code="110105",
        outcome=ReviewOutcome.APPROVED,
        reviewer_id=uuid.uuid4(),
        decided_at=datetime.now(UTC),
    )
    async with h.uow() as uow:
        await tasks.institution_decided(uow=uow, event=review, office=h.office)
        await uow.commit()
    officer = Principal(uuid.uuid4(), Role.OFFICER, region_code="110105")
    queue = (await h.http.get("/authority-tasks?status=open&limit=200", headers=h.token(officer))).json()
    task = next(t for t in queue if t["application_id"] == str(application_id))
    decided = await h.http.post(
        f"/authority-tasks/{task['task_id']}/decision", json={"outcome": "approved"}, headers=h.token(officer)
    )
    assert decided.status_code == 200, decided.text

    claimed = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert claimed.status_code == 201, claimed.text
    registration = (await h.http.get("/registrations/me", headers=h.token(physician.principal))).json()
    assert claimed.json()["content"]["certificate_number"] == registration["certificate_number"]


async def test_claims_at_the_same_moment_issue_one_licence(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    responses = await asyncio.gather(
        *(h.http.post("/licences/me", headers=h.token(physician.principal)) for _ in range(5))
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert len({r.json()["licence_id"] for r in responses}) == 1


async def test_anyone_verifies_by_number_and_name_and_a_wrong_name_learns_nothing(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    licence = (await h.http.post("/licences/me", headers=h.token(physician.principal))).json()

    right = await h.http.post("/licences/verifications", json={"licence_number": licence["number"], "name": "欧阳·明"})
    assert (right.json()["result"], right.json()["reason"]) == ("valid", "active")
    assert right.json()["licence"]["certificate_number"] == physician.certificate_number
    wrong_name = {"licence_number": licence["number"], "name": "张三"}
    unknown_number = {"licence_number": "DZ99999920990000101", "name": "欧阳·明"}
    answers = [(await h.http.post("/licences/verifications", json=b)).json() for b in (wrong_name, unknown_number)]
    for answer in answers:
        assert (answer["result"], answer["reason"], answer["licence"]) == ("unknown", "no-such-licence", None)
    assert answers[0]["detail"] == answers[1]["detail"]

    for ambiguous in ({}, {"licence_number": licence["number"]}, {"licence": licence["document"], "name": "欧阳·明"}):
        refused = await h.http.post("/licences/verifications", json=ambiguous)
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["licence", "licence_number"]
    page = await h.http.get("/verify", params={"number": licence["number"], "name": "欧阳·明"})
    assert 'data-result="valid"' in page.text


async def test_the_qr_code_verifies_offline_with_the_published_keys_and_online_with_the_same_verdict(
    licensing: Harness,
):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    licence = (await h.http.post("/licences/me", headers=h.token(physician.principal))).json()
    qr_text = licence["verification_url"]
    jwks = (await h.http.get("/.well-known/jwks.json")).json()

    offline = verify_offline(qr_text, jwks=jwks, now=datetime.now(UTC))
    assert (offline.verdict, offline.reason) == ("valid", "genuine")
    assert offline.licence is not None
    assert (offline.licence.number, offline.licence.name) == (licence["number"], "欧阳·明")
    assert offline.licence.id_number_masked == licence["content"]["id_number_masked"]
    assert offline.licence.institution == licence["content"]["main_institution"]["name"]

    # online, the address, the credential and the full document get one verdict and show the same licence
    answers = [
        (await h.http.post("/licences/verifications", json={"licence": text})).json()
        for text in (qr_text, licence["credential"], licence["document"])
    ]
    assert [(a["result"], a["reason"]) for a in answers] == [("valid", "active")] * 3
    assert answers[0]["licence"] == answers[2]["licence"]
    path = qr_text[len(h.office.settings.public_base_url) :]
    page = await h.http.get(path)  # what a phone's camera opens
    assert page.status_code == 200
    assert 'data-result="valid"' in page.text and "欧阳·明" in page.text
    assert 'action="../verify"' in page.text

    forged = licence["credential"][:-6] + ("AAAAAA" if not licence["credential"].endswith("AAAAAA") else "BBBBBB")
    for text in (forged, "RL1:NOT-A-CREDENTIAL"):
        answer = (await h.http.post("/licences/verifications", json={"licence": text})).json()
        assert (answer["result"], answer["licence"]) == ("bad_signature", None)
        assert verify_offline(text, jwks=jwks, now=datetime.now(UTC)).verdict == "bad_signature"

    await change_register(h, physician, status=RegistrationStatus.FILED)
    answer = (await h.http.post("/licences/verifications", json={"licence": qr_text})).json()
    assert (answer["result"], answer["reason"]) == ("suspended", "practice-filed")  # the register's word, online
    assert verify_offline(qr_text, jwks=jwks, now=datetime.now(UTC)).verdict == "valid"  # offline cannot know it
