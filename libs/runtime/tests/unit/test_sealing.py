import hashlib

import pytest
from cryptography.exceptions import InvalidTag

from regsys_runtime.sealing import Sealer, derive_key, new_signing_key, open_signing_key, public_key_of


def test_a_sealed_value_opens_with_the_same_secret_and_purpose_only():
    sealed = Sealer("s3cret-value", namespace="licensing", purpose="signing-key").seal(b"private")
    assert b"private" not in sealed
    assert Sealer("s3cret-value", namespace="licensing", purpose="signing-key").open(sealed) == b"private"
    for other in (
        Sealer("another-secret", namespace="licensing", purpose="signing-key"),
        Sealer("s3cret-value", namespace="identity", purpose="signing-key"),
        Sealer("s3cret-value", namespace="licensing", purpose="id-number"),
    ):
        with pytest.raises(InvalidTag):
            other.open(sealed)


def test_an_altered_sealed_value_does_not_open():
    sealer = Sealer("s3cret-value", namespace="licensing", purpose="signing-key")
    sealed = bytearray(sealer.seal(b"private"))
    sealed[-1] ^= 1
    with pytest.raises(InvalidTag):
        sealer.open(bytes(sealed))


def test_keys_derive_as_they_always_did_so_stored_secrets_still_open():
    # identity sealed its keys with this derivation before it moved here
    assert (
        derive_key("k", namespace="identity", purpose="signing-key")
        == hashlib.sha256(b"regsys/identity/signing-key\x00k").digest()
    )


def test_a_new_signing_key_signs_what_its_published_half_verifies():
    sealer = Sealer("s3cret-value", namespace="licensing", purpose="signing-key")
    row = new_signing_key(sealer)
    assert row["public_jwk"]["kid"] == row["kid"] and row["public_jwk"]["alg"] == "EdDSA"
    assert "d" not in row["public_jwk"]
    signature = open_signing_key(sealer, row["private_key_cipher"]).sign(b"message")
    public_key_of(row["public_jwk"]).verify(signature, b"message")
