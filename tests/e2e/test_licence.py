"""The electronic licence end to end: claimed after approval, verified by anyone without a token, and following
the register as the physician files, cancels the filing and deregisters."""

import base64
import gzip
import json
from dataclasses import dataclass

import pytest

from devstack.stack import Stack
from e2e.applying import FORM, a_photo, approved, file
from e2e.journeys import Client, active_physician, eventually, new_institution, new_staff, sign_in

pytestmark = pytest.mark.e2e

REGION = "110105"


@dataclass
class Practice:
    physician: Client
    staff: Client
    officer: Client
    institution: str


def decided(practice: Practice, submit: dict, photo: bytes | None = None) -> str:
    """An application filed, approved by the institution, then by the authority; its id."""
    application = file(practice.physician, submit, photo=photo)
    approved(practice.physician, practice.staff, practice.officer, application)
    return application["application_id"]


def registered(stack: Stack, admin: Client) -> Practice:
    institution = new_institution(admin, REGION)
    practice = Practice(
        physician=active_physician(stack, admin, institution),
        staff=sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution)),
        officer=sign_in(stack, *new_staff(admin, "officer", region_code=REGION)),
        institution=institution,
    )
    refused = practice.physician.call("POST", "licensing", "/licences/me")
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/not-registered")
    submit = {
        "application_type": "initial_registration", "institution_id": institution, "practice_scope": "内科专业",
        "form": FORM,
    }  # fmt: skip
    decided(practice, submit, photo=a_photo())
    return practice


def verified(stack: Stack, document: str) -> dict:
    """What anyone learns from the public endpoint: no token."""
    return Client(stack).ok("POST", "licensing", "/licences/verifications", json={"licence": document})


def listed(stack: Stack, purpose: str, document: str) -> bool:
    """Whether the licence's bit is set in the downloaded status list (signature checks are in the service tests)."""
    response = Client(stack).call("GET", "licensing", f"/status-lists/{purpose}")
    assert response.status_code == 200
    assert response.headers["etag"] and "max-age" in response.headers["cache-control"]

    def payload(jws: str) -> dict:
        part = jws.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

    encoded = payload(response.text)["credentialSubject"]["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = payload(document)["status"]["status_list"]["idx"]
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_licence_is_claimed_after_approval_and_verified_by_anyone(running_stack: Stack, admin: Client):
    stack = running_stack
    practice = registered(stack, admin)
    registration = practice.physician.ok("GET", "licensing", "/registrations/me")

    claimed = practice.physician.call("POST", "licensing", "/licences/me")
    assert claimed.status_code == 201, claimed.text
    licence = claimed.json()
    assert licence["content"]["name"] == "欧阳·明"
    assert licence["content"]["certificate_number"] == registration["certificate_number"]
    assert licence["content"]["id_number_masked"].count("*") == 8
    assert practice.physician.call("POST", "licensing", "/licences/me").json()["licence_id"] == licence["licence_id"]

    result = verified(stack, licence["document"])
    assert (result["result"], result["reason"]) == ("valid", "active")
    assert result["licence"]["number"] == licence["number"]
    header, payload, signature = licence["document"].split(".")
    changed = payload[:10] + ("B" if payload[10] == "A" else "A") + payload[11:]
    result = verified(stack, f"{header}.{changed}.{signature}")
    assert (result["result"], result["reason"]) == ("bad_signature", "signature-mismatch")
    page = Client(stack).call("GET", "licensing", "/verify", params={"licence": licence["document"]})
    assert page.status_code == 200 and 'data-result="valid"' in page.text
    # the QR code's address, small enough to scan, gets the same verdict
    assert licence["verification_url"].startswith(f"{stack.gateway_url.upper()}/V/RL1:")
    assert (verified(stack, licence["verification_url"])["result"]) == "valid"
    assert not listed(stack, "revocation", licence["document"])

    batch = practice.staff.ok(
        "POST", "licensing", "/licences/batch-verifications", json={"licence_numbers": [licence["number"]]}
    )
    assert [(r["result"], r["reason"]) for r in batch["results"]] == [("valid", "active")]
    for kind, media in (("png", "image/png"), ("pdf", "application/pdf")):
        download = practice.physician.call("GET", "licensing", f"/licences/me/licence.{kind}")
        assert download.status_code == 200 and download.headers["content-type"] == media


def test_the_licence_follows_filing_cancelling_and_deregistration(running_stack: Stack, admin: Client):
    stack = running_stack
    practice = registered(stack, admin)
    claimed = practice.physician.ok("POST", "licensing", "/licences/me")
    document, qr_text = claimed["document"], claimed["verification_url"]

    decided(practice, {"application_type": "practice_filing", "reason": "retired", "remark": "年满退休"})
    result = eventually(lambda: verified(stack, document), lambda r: r["result"] != "valid")
    assert (result["result"], result["reason"]) == ("suspended", "practice-filed")
    assert verified(stack, qr_text)["result"] == "suspended"  # the QR code's credential: the register's word too
    assert listed(stack, "suspension", document)

    decided(practice, {"application_type": "cancel_filing", "reason": "进修结束"})
    result = eventually(lambda: verified(stack, document), lambda r: r["result"] != "suspended")
    assert (result["result"], result["reason"]) == ("valid", "active")
    assert not listed(stack, "suspension", document)

    decided(practice, {"application_type": "deregistration", "reason": "left_profession"})
    result = eventually(lambda: verified(stack, document), lambda r: r["result"] != "valid")
    assert (result["result"], result["reason"]) == ("revoked", "deregistered")
    assert verified(stack, qr_text)["result"] == "revoked"
    assert listed(stack, "revocation", document)
