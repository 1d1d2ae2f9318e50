"""Revoke everywhere: the licence follows the register online and in the signed status lists; keys rotate."""

import json
import uuid
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contracts.enums import RegistrationStatus, Role
from contracts.licensing.v1 import MultiSiteRecord
from licensing.adapters.signed_documents import b64url_decode, sign, split, verify
from licensing.domain.licence import Step
from licensing.domain.status_list import bit_is_set, decode
from regsys_runtime.auth import Principal
from regsys_runtime.sealing import public_key_of

from .conftest import Harness, Physician, a_physician, an_institution, change_register

pytestmark = pytest.mark.integration


async def claimed(h: Harness, physician: Physician) -> dict:
    response = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert response.status_code in (200, 201), response.text
    return response.json()


async def check(h: Harness, document: str) -> tuple[str, str]:
    result = (await h.http.post("/licences/verifications", json={"licence": document})).json()
    return result["result"], result["reason"]


async def downloaded_bit(h: Harness, purpose: str, document: str) -> bool:
    """What an offline verifier learns from one download: the list's signature checked against the JWKS."""
    listed = await h.http.get(f"/status-lists/{purpose}")
    assert listed.status_code == 200
    assert listed.headers["content-type"].startswith("application/statuslist+jwt")
    assert "max-age=" in listed.headers["cache-control"]
    jwks = (await h.http.get("/.well-known/jwks.json")).json()
    keys = {k["kid"]: public_key_of(k) for k in jwks["keys"]}
    compact = split(listed.text)
    assert compact.header["typ"] == "statuslist+jwt"
    status_list = verify(compact, keys[compact.kid])
    assert status_list["credentialSubject"]["statusPurpose"] == purpose
    licence = verify(split(document), keys[split(document).kid])
    assert licence["status"]["status_list"]["uri"] + f"/{purpose}" == status_list["sub"]
    return bit_is_set(decode(status_list["credentialSubject"]["encodedList"]), licence["status"]["status_list"]["idx"])


async def test_filing_suspends_cancelling_restores_and_deregistration_revokes(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    document = (await claimed(h, physician))["document"]
    assert await check(h, document) == ("valid", "active")
    assert not await downloaded_bit(h, "suspension", document)
    assert not await downloaded_bit(h, "revocation", document)

    assert await change_register(h, physician, status=RegistrationStatus.FILED) is Step.SUSPEND
    assert await check(h, document) == ("suspended", "practice-filed")
    assert await downloaded_bit(h, "suspension", document)
    assert not await downloaded_bit(h, "revocation", document)

    assert await change_register(h, physician) is Step.REINSTATE
    assert await check(h, document) == ("valid", "active")
    assert not await downloaded_bit(h, "suspension", document)

    assert await change_register(h, physician, status=RegistrationStatus.DEREGISTERED) is Step.REVOKE
    assert await check(h, document) == ("revoked", "deregistered")
    assert await downloaded_bit(h, "revocation", document)
    shown = (await h.http.get("/licences/me", headers=h.token(physician.principal))).json()
    assert shown["status"] == "revoked"

    events = [e["type"] for e in await h.outbox(physician.account_id)]
    assert events == [
        "licensing.licence_issued",
        "licensing.licence_suspended",
        "licensing.licence_reinstated",
        "licensing.licence_revoked",
    ]


async def test_a_change_of_institution_or_a_multi_site_filing_reissues_and_supersedes(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    first = await claimed(h, physician)

    new_main = await an_institution(h, "北京协和医院")
    assert await change_register(h, physician, main_institution_id=new_main) is Step.REISSUE
    second = (await h.http.get("/licences/me", headers=h.token(physician.principal))).json()
    assert second["number"] == first["number"][:-2] + "02"
    assert second["content"]["main_institution"]["name"] == "北京协和医院"
    old = (await h.http.post("/licences/verifications", json={"licence": first["document"]})).json()
    assert (old["result"], old["reason"], old["current_licence_number"]) == ("revoked", "superseded", second["number"])
    assert await downloaded_bit(h, "revocation", first["document"])
    assert await check(h, second["document"]) == ("valid", "active")

    site = await an_institution(h, "朝阳区社区卫生服务中心")
    filing = MultiSiteRecord(
        filing_id=uuid.uuid4(), institution_id=site, starts_on=date(2026, 1, 1), ends_on=date(2027, 6, 30)
    )
    assert await change_register(h, physician, main_institution_id=new_main, multi_sites=(filing,)) is Step.REISSUE
    third = (await h.http.get("/licences/me", headers=h.token(physician.principal))).json()
    assert third["content"]["multi_sites"] == [
        {"name": "朝阳区社区卫生服务中心", "starts_on": "2026-01-01", "ends_on": "2027-06-30"}
    ]
    assert await check(h, second["document"]) == ("revoked", "superseded")

    issued = [e for e in await h.outbox(physician.account_id) if e["type"] == "licensing.licence_issued"]
    assert [e["supersedes"] for e in issued] == [None, first["licence_id"], second["licence_id"]]
    assert issued[-1]["institution_ids"] == [str(new_main), str(site)]  # both rosters are told


async def test_after_a_key_rotation_old_licences_still_verify(licensing: Harness):
    h = licensing
    before, after = await a_physician(h), await a_physician(h, name="李四")
    await change_register(h, before)
    await change_register(h, after)
    old = (await claimed(h, before))["document"]

    physician_rotates = await h.http.post("/admin/licence-keys/rotations", headers=h.token(before.principal))
    assert physician_rotates.status_code == 403
    admin = Principal(uuid.uuid4(), Role.ADMIN)
    rotated = await h.http.post("/admin/licence-keys/rotations", headers=h.token(admin))
    assert rotated.status_code == 201
    new_kid = rotated.json()["kid"]
    assert split(old).kid in rotated.json()["published"]

    new = (await claimed(h, after))["document"]
    assert split(new).kid == new_kid != split(old).kid
    assert await check(h, old) == ("valid", "active")
    assert await check(h, new) == ("valid", "active")
    published = {k["kid"] for k in (await h.http.get("/.well-known/jwks.json")).json()["keys"]}
    assert {split(old).kid, new_kid} <= published
    assert not await downloaded_bit(h, "revocation", old)  # the list, now signed by the new key, verifies too
    trail = await h.http.get("/admin/audit-trail", params={"action": "licence_key.rotated"}, headers=h.token(admin))
    assert [e["details"] for e in trail.json()][:1] == [{"kid": new_kid}]
    assert trail.json()[0]["actor_id"] == str(admin.account_id)


async def test_the_status_list_is_cached_by_etag(licensing: Harness):
    h = licensing
    first = await h.http.get("/status-lists/revocation")
    etag = first.headers["etag"]
    again = await h.http.get("/status-lists/revocation", headers={"If-None-Match": etag})
    if again.status_code == 200:  # another test changed the list in between: then the tag changed too
        assert again.headers["etag"] != etag
    else:
        assert again.status_code == 304
        assert again.content == b""
    assert (await h.http.get("/status-lists/bogus")).status_code == 422


async def test_institutions_verify_many_licence_numbers_in_one_call(licensing: Harness):
    h = licensing
    valid, gone = await a_physician(h), await a_physician(h, name="王五")
    for physician in (valid, gone):
        await change_register(h, physician)
    valid_number = (await claimed(h, valid))["number"]
    gone_number = (await claimed(h, gone))["number"]
    await change_register(h, gone, status=RegistrationStatus.DEREGISTERED)
    unknown = "DZ99999920990000101"

    staff = Principal(uuid.uuid4(), Role.INSTITUTION_STAFF, institution_id=valid.main_institution_id)
    body = {"licence_numbers": [valid_number, gone_number, unknown]}
    response = await h.http.post("/licences/batch-verifications", json=body, headers=h.token(staff))
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["licence_number"], r["result"], r["reason"]) for r in results] == [
        (valid_number, "valid", "active"),
        (gone_number, "revoked", "deregistered"),
        (unknown, "unknown", "unknown-number"),
    ]
    assert results[0]["licence"]["name"] == "欧阳·明"

    assert (await h.http.post("/licences/batch-verifications", json=body)).status_code == 401
    refused = await h.http.post("/licences/batch-verifications", json=body, headers=h.token(valid.principal))
    assert refused.status_code == 403
    for bad in ({"licence_numbers": []}, {"licence_numbers": ["12345"]}, {"licence_numbers": [unknown] * 501}):
        invalid = await h.http.post("/licences/batch-verifications", json=bad, headers=h.token(staff))
        assert invalid.status_code == 422
        assert invalid.json()["errors"]


async def test_a_document_signed_by_a_stranger_is_a_bad_signature(licensing: Harness):
    h = licensing
    physician = await a_physician(h)
    await change_register(h, physician)
    genuine = split((await claimed(h, physician))["document"])
    payload = json.loads(b64url_decode(genuine.payload))
    forged = sign(payload, key=Ed25519PrivateKey.generate(), kid=genuine.kid, typ="licence+jwt")
    assert await check(h, forged) == ("bad_signature", "signature-mismatch")
    strange_kid = sign(payload, key=Ed25519PrivateKey.generate(), kid="not-ours", typ="licence+jwt")
    assert await check(h, strange_kid) == ("bad_signature", "unknown-key")


async def test_places_in_the_status_lists_do_not_tell_the_order_of_issue(licensing: Harness):
    h = licensing
    indexes = []
    for _ in range(3):
        physician = await a_physician(h)
        await change_register(h, physician)
        document = (await claimed(h, physician))["document"]
        indexes.append(json.loads(b64url_decode(split(document).payload))["status"]["status_list"]["idx"])
    assert len(set(indexes)) == 3
    # drawn at random from at least 131,072 places: three in a row would be a one-in-billions accident
    assert sorted(indexes) != list(range(min(indexes), min(indexes) + 3))
