"""The QR code's credential: base45 as RFC 9285 has it, a signed round trip, every forgery refused, a small QR code."""

import zlib
from datetime import UTC, datetime, timedelta

import cbor2
import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from licensing.adapters import base45, compact_licences
from licensing.adapters.compact_licences import address, credential_of, seal, unseal, verify_offline
from licensing.domain.compact_licence import CompactLicence
from licensing.domain.licence import Verdict
from regsys_runtime.sealing import Sealer, new_signing_key, open_signing_key

NOW = datetime(2026, 12, 2, 9, 30, 15, 123456, tzinfo=UTC)
# as long as a licence realistically prints: a long Uyghur name, two scopes, a long institution (26 characters)
LONGEST = {
    "number": "DZ65010220260012301",
    "name": "阿卜杜热合曼·买买提艾力",
    "id_number_masked": "650102********123X",
    "category_name": "中医(专长)",
    "practice_scope": "内科专业、全科医学专业",
    "main_institution": {"name": "新疆维吾尔自治区人民医院附属第一门诊部(天山区分院)"},
}
BASE_URL = "https://yszc.nhc.gov.cn"  # a production-like public address


def signing_key() -> tuple[str, Ed25519PrivateKey, dict]:
    """A key as licensing makes one (hex kid), its private half and the JWK set it would publish."""
    sealer = Sealer("a-test-secret-of-at-least-32-characters", namespace="licensing", purpose="signing-key")
    row = new_signing_key(sealer)
    return row["kid"], open_signing_key(sealer, row["private_key_cipher"]), {"keys": [row["public_jwk"]]}


KID, KEY, JWKS = signing_key()


def licence(content=LONGEST, *, expires_at=NOW + timedelta(days=1095)) -> CompactLicence:
    return CompactLicence.of(content, issued_at=NOW, expires_at=expires_at, status_index=123_456_789)


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0"), (b"", "")],
)
def test_base45_reads_and_writes_the_rfc_9285_examples(data, text):
    assert base45.encode(data) == text
    assert base45.decode(text) == data


@pytest.mark.parametrize("text", ["GGW", ":::", "A", "QED8WEX", "qed8wex0", "BB8="])
def test_base45_refuses_what_no_bytes_encode_to(text):
    with pytest.raises(base45.NotBase45):
        base45.decode(text)


def test_a_credential_verifies_offline_with_the_published_keys_and_says_what_the_licence_shows():
    checked = verify_offline(seal(licence(), key=KEY, kid=KID), jwks=JWKS, now=NOW)
    assert (checked.verdict, checked.reason) == (Verdict.VALID, "genuine")
    shown = checked.licence
    assert shown is not None
    assert (shown.number, shown.name, shown.id_number_masked) == (
        "DZ65010220260012301",
        "阿卜杜热合曼·买买提艾力",
        "650102********123X",
    )
    assert (shown.category_name, shown.practice_scope) == ("中医(专长)", "内科专业、全科医学专业")
    assert shown.institution == LONGEST["main_institution"]["name"]
    assert shown.issued_at == NOW.replace(microsecond=0)
    assert shown.expires_at == (NOW + timedelta(days=1095)).replace(microsecond=0)
    assert shown.status_index == 123_456_789
    assert shown == licence()


def test_the_credential_is_a_tagged_cose_sign1_naming_eddsa_and_the_key():
    cose = cbor2.loads(zlib.decompress(base45.decode(seal(licence(), key=KEY, kid=KID).removeprefix("RL1:"))))
    assert cose.tag == 18
    protected, unprotected, payload, signature = cose.value
    assert cbor2.loads(protected) == {1: -8, 4: bytes.fromhex(KID)}
    assert unprotected == {}
    assert cbor2.loads(payload)[1] == "DZ65010220260012301"
    assert len(signature) == 64


def test_a_licence_without_a_scope_leaves_the_key_out_and_reads_back_without_one():
    credential = seal(licence({**LONGEST, "practice_scope": None}), key=KEY, kid=KID)
    checked = verify_offline(credential, jwks=JWKS, now=NOW)
    assert checked.licence is not None and checked.licence.practice_scope is None
    assert 5 not in cbor2.loads(unseal(credential).payload)


def _resealed(credential: str, *, payload: bytes | None = None, protected: bytes | None = None) -> str:
    """The credential with one part replaced and the original signature kept: what a forger can make."""
    sealed = unseal(credential)
    parts = [protected or sealed.protected, {}, payload or sealed.payload, sealed.signature]
    return "RL1:" + base45.encode(zlib.compress(cbor2.dumps(cbor2.CBORTag(18, parts))))


def test_a_changed_field_is_refused_as_a_bad_signature():
    credential = seal(licence(), key=KEY, kid=KID)
    claims = cbor2.loads(unseal(credential).payload)
    for key, forged in ((2, "张三"), (8, claims[8] + 86400 * 365), (6, "北京协和医院")):
        tampered = _resealed(credential, payload=cbor2.dumps({**claims, key: forged}))
        checked = verify_offline(tampered, jwks=JWKS, now=NOW)
        assert (checked.verdict, checked.reason, checked.licence) == (Verdict.BAD_SIGNATURE, "signature-mismatch", None)


def test_any_changed_character_is_refused():
    credential = seal(licence(), key=KEY, kid=KID)
    for position in range(len("RL1:"), len(credential), 7):
        changed = credential[:position] + ("A" if credential[position] != "A" else "B") + credential[position + 1 :]
        assert verify_offline(changed, jwks=JWKS, now=NOW).verdict is Verdict.BAD_SIGNATURE, position


def test_another_key_under_the_same_kid_does_not_verify_it_and_an_unpublished_kid_is_unknown():
    forged = seal(licence(), key=Ed25519PrivateKey.generate(), kid=KID)
    checked = verify_offline(forged, jwks=JWKS, now=NOW)
    assert (checked.verdict, checked.reason) == (Verdict.BAD_SIGNATURE, "signature-mismatch")
    other_kid, other_key, _ = signing_key()
    checked = verify_offline(seal(licence(), key=other_key, kid=other_kid), jwks=JWKS, now=NOW)
    assert (checked.verdict, checked.reason) == (Verdict.BAD_SIGNATURE, "unknown-key")


def test_an_expired_licence_is_expired_offline_and_still_shows_what_it_was():
    credential = seal(licence(expires_at=NOW + timedelta(seconds=1)), key=KEY, kid=KID)
    assert verify_offline(credential, jwks=JWKS, now=NOW).verdict is Verdict.VALID
    checked = verify_offline(credential, jwks=JWKS, now=NOW + timedelta(seconds=1))
    assert (checked.verdict, checked.reason) == (Verdict.EXPIRED, "licence-expired")
    assert checked.licence is not None and checked.licence.number == "DZ65010220260012301"


def _signed_claims(claims: object) -> str:
    protected = cbor2.dumps({1: -8, 4: bytes.fromhex(KID)})
    payload = cbor2.dumps(claims)
    signature = KEY.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
    return "RL1:" + base45.encode(zlib.compress(cbor2.dumps([protected, {}, payload, signature])))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "HC1:NCFOXN",
        "RL1:",
        "RL1:aaa",
        "RL1:" + base45.encode(b"not zlib"),
        "RL1:" + base45.encode(zlib.compress(b"\xff\xff")),
        "RL1:" + base45.encode(zlib.compress(cbor2.dumps([b"", {}, b""]))),
        "RL1:" + base45.encode(zlib.compress(cbor2.dumps([cbor2.dumps({1: -7}), {}, b"", b""]))),
        "RL1:" + base45.encode(zlib.compress(bytes(100_000))),  # a zlib bomb, refused before it is read
        _signed_claims({1: "DZ65010220260012301"}),
        _signed_claims(["not", "a", "map"]),
        _signed_claims({**licence().claims(), 8: "2029-12-01"}),
        _signed_claims({**licence().claims(), 8: 10**30}),
    ],
)
def test_what_is_no_credential_is_refused_as_malformed(text):
    checked = verify_offline(text, jwks=JWKS, now=NOW)
    assert (checked.verdict, checked.reason, checked.licence) == (Verdict.BAD_SIGNATURE, "malformed", None)


def test_the_qr_code_of_the_longest_licence_is_version_15_or_lower_in_alphanumeric_mode():
    # the signature and the key id are random bytes, whose percent-encoded characters vary: try many keys
    for _ in range(40):
        kid, key, _ = signing_key()
        qr_text = address(BASE_URL, seal(licence(), key=key, kid=kid))
        assert qr_text.startswith("HTTPS://YSZC.NHC.GOV.CN/V/RL1:")
        qr = segno.make(qr_text, error="m", micro=False)  # as licence_documents draws it
        assert qr.mode == "alphanumeric"
        assert qr.version <= 15, (qr.version, len(qr_text))


def test_the_address_holds_the_credential_for_a_camera_and_gives_it_back():
    credential = seal(licence(), key=KEY, kid=KID)
    qr_text = address(BASE_URL + "/", credential)
    path = qr_text.removeprefix("HTTPS://YSZC.NHC.GOV.CN/V/")
    assert " " not in path and "/" not in path  # no space to end the link, no `/` to split or fold the path
    assert set(path.replace("%20", "").replace("%25", "").replace("%2F", "")) <= set(base45.ALPHABET) - {"%"}
    assert credential_of(qr_text) == credential == credential_of(f"  {credential}\n")
    assert compact_licences.is_credential(qr_text) and compact_licences.is_credential(credential)
    assert not compact_licences.is_credential("eyJhbGciOiJFZERTQSJ9.e30.c2ln")
    assert verify_offline(qr_text, jwks=JWKS, now=NOW).verdict is Verdict.VALID
