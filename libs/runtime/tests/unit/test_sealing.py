import base64
import hashlib
import os

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from regsys_runtime.sealing import (
    HEADER_BYTES,
    NONCE_BYTES,
    SEALED_DELIVERY_PREFIX,
    SEALED_FORMAT,
    DeliverySealer,
    SealedUnderUnknownKey,
    Sealer,
    derive_key,
    key_id,
    legacy_key,
    new_signing_key,
    open_signing_key,
    public_key_of,
)

OLD, NEW, NEWER = "old-secret-" + "o" * 24, "new-secret-" + "n" * 24, "newer-secret-" + "w" * 22


def licensing_sealer(secret: str, *previous: str) -> Sealer:
    return Sealer(secret, namespace="licensing", purpose="signing-key", previous=previous)


def sealed_before_key_ids(secret: str, plaintext: bytes) -> bytes:
    """A value as Sealer wrote it before this change: nonce and ciphertext under the SHA-256-derived key."""
    nonce = os.urandom(NONCE_BYTES)
    key = hashlib.sha256(f"regsys/licensing/signing-key\x00{secret}".encode()).digest()
    return nonce + AESGCM(key).encrypt(nonce, plaintext, b"signing-key")


def test_a_sealed_value_opens_with_the_same_secret_and_purpose_only():
    sealed = licensing_sealer(OLD).seal(b"private")
    assert b"private" not in sealed
    assert licensing_sealer(OLD).open(sealed) == b"private"
    for other in (
        licensing_sealer(NEW),
        Sealer(OLD, namespace="identity", purpose="signing-key"),
        Sealer(OLD, namespace="licensing", purpose="id-number"),
    ):
        with pytest.raises(InvalidTag):
            other.open(sealed)


def test_an_altered_sealed_value_does_not_open():
    sealer = licensing_sealer(OLD)
    for position in (-1, HEADER_BYTES, 0):  # the ciphertext, the nonce, the header
        sealed = bytearray(sealer.seal(b"private"))
        sealed[position] ^= 1
        with pytest.raises(InvalidTag):
            sealer.open(bytes(sealed))


def test_keys_are_hkdf_of_the_secret_one_per_purpose_and_namespace():
    keys = {
        derive_key(OLD, namespace=namespace, purpose=purpose)
        for namespace in ("identity", "licensing", "code-delivery")
        for purpose in ("signing-key", "id-number", "id-number-lookup", "codes")
    }
    assert len(keys) == 12 and all(len(k) == 32 for k in keys)
    codes = derive_key(OLD, namespace="identity", purpose="codes")
    assert codes != derive_key(NEW, namespace="identity", purpose="codes")
    assert codes != legacy_key(OLD, namespace="identity", purpose="codes")  # no longer SHA-256 of the secret


def test_a_sealed_value_carries_the_id_of_the_key_that_sealed_it():
    sealed = licensing_sealer(NEW, OLD).seal(b"private")
    assert sealed[:HEADER_BYTES] == SEALED_FORMAT + key_id(NEW)
    assert len(sealed) == HEADER_BYTES + NONCE_BYTES + len(b"private") + 16
    assert key_id(NEW) != key_id(OLD)


def test_after_a_rotation_what_the_previous_secret_sealed_still_opens_and_new_values_use_the_new_one():
    before = licensing_sealer(OLD).seal(b"private")
    rotated = licensing_sealer(NEW, OLD)
    assert rotated.open(before) == b"private"
    assert licensing_sealer(NEWER, NEW, OLD).open(before) == b"private"  # twice rotated, in any order
    assert licensing_sealer(NEWER, OLD, NEW).open(before) == b"private"
    after = rotated.seal(b"private")
    assert licensing_sealer(NEW).open(after) == b"private"
    with pytest.raises(SealedUnderUnknownKey):
        licensing_sealer(OLD).open(after)  # a replica still on the old secret alone


def test_a_value_sealed_under_a_secret_gone_from_the_ring_names_its_key():
    sealed = licensing_sealer(OLD).seal(b"private")
    with pytest.raises(SealedUnderUnknownKey, match=f"key id {key_id(OLD).hex()}.*not in the ring"):
        licensing_sealer(NEWER, NEW).open(sealed)


def test_values_sealed_before_key_ids_open_as_legacy_under_any_secret_of_the_ring():
    legacy = sealed_before_key_ids(OLD, b"private")
    assert licensing_sealer(OLD).open(legacy) == b"private"
    assert licensing_sealer(NEW, OLD).open(legacy) == b"private"
    with pytest.raises(SealedUnderUnknownKey, match="opens under no key of the ring"):
        licensing_sealer(NEW).open(legacy)


def test_resealing_moves_a_value_to_the_current_key_once():
    rotated = licensing_sealer(NEW, OLD)
    for before in (licensing_sealer(OLD).seal(b"private"), sealed_before_key_ids(OLD, b"private")):
        assert not rotated.is_current(before)
        resealed = rotated.resealed(before)
        assert resealed is not None and rotated.is_current(resealed)
        assert licensing_sealer(NEW).open(resealed) == b"private"
        assert rotated.resealed(resealed) is None


def test_a_ring_whose_secrets_share_a_key_id_is_refused(monkeypatch):
    monkeypatch.setattr("regsys_runtime.sealing.key_id", lambda secret: b"same")
    with pytest.raises(ValueError, match="share a key id"):
        licensing_sealer(NEW, OLD)
    assert licensing_sealer(NEW, NEW).open(licensing_sealer(NEW).seal(b"x")) == b"x"  # one secret twice is one


def test_a_new_signing_key_signs_what_its_published_half_verifies():
    sealer = licensing_sealer(OLD)
    row = new_signing_key(sealer)
    assert row["public_jwk"]["kid"] == row["kid"] and row["public_jwk"]["alg"] == "EdDSA"
    assert "d" not in row["public_jwk"]
    signature = open_signing_key(licensing_sealer(NEW, OLD), row["private_key_cipher"]).sign(b"message")
    public_key_of(row["public_jwk"]).verify(signature, b"message")


def test_codes_in_flight_survive_a_rotation_of_the_delivery_key():
    in_flight = DeliverySealer(OLD).seal("318204")
    assert in_flight.startswith(SEALED_DELIVERY_PREFIX) and "318204" not in in_flight
    rotated = DeliverySealer(NEW, previous=[OLD])
    assert rotated.open(in_flight) == "318204"
    assert DeliverySealer(NEW).open(rotated.seal("771950")) == "771950"
    with pytest.raises(SealedUnderUnknownKey):
        DeliverySealer(NEWER, previous=[NEW]).open(in_flight)


def test_a_code_sealed_before_key_ids_still_opens():
    nonce = os.urandom(NONCE_BYTES)
    key = hashlib.sha256(f"regsys/code-delivery/one-time-code\x00{OLD}".encode()).digest()
    raw = nonce + AESGCM(key).encrypt(nonce, b"318204", b"one-time-code")
    legacy = SEALED_DELIVERY_PREFIX + base64.urlsafe_b64encode(raw).decode()
    assert DeliverySealer(NEW, previous=[OLD]).open(legacy) == "318204"
