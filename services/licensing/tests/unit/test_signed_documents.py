import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from licensing.adapters.signed_documents import DocumentRejected, b64url, sign, split, verify

KEY = Ed25519PrivateKey.generate()
NOT_JSON = b64url(b"not json")
UNSIGNED = b64url(b'{"alg":"none"}')
PAYLOAD = {"sub": "DZ11010520260000101", "licence": {"name": "欧阳·明"}}


def signed() -> str:
    return sign(PAYLOAD, key=KEY, kid="k1", typ="licence+jwt")


def test_a_signed_document_verifies_and_names_its_key():
    compact = split(signed())
    assert compact.kid == "k1"
    assert compact.header["typ"] == "licence+jwt"
    assert verify(compact, KEY.public_key()) == PAYLOAD


def test_any_changed_byte_fails_the_signature():
    document = signed()
    for position in range(len(document)):
        if document[position] == ".":
            continue
        changed = document[:position] + ("A" if document[position] != "A" else "B") + document[position + 1 :]
        with pytest.raises(DocumentRejected):
            verify(split(changed), KEY.public_key())


def test_another_key_does_not_verify_it():
    with pytest.raises(DocumentRejected) as rejected:
        verify(split(signed()), Ed25519PrivateKey.generate().public_key())
    assert rejected.value.code == "signature-mismatch"


@pytest.mark.parametrize(
    "document",
    ["", "abc", "a.b", "a..c", "!!!.b.c", f"{NOT_JSON}.e30.c", f"{UNSIGNED}.e30.c"],
)
def test_malformed_documents_are_refused_as_malformed(document):
    with pytest.raises(DocumentRejected) as rejected:
        split(document)
    assert rejected.value.code == "malformed"
