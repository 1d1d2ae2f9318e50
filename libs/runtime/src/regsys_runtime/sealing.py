"""Secrets at rest: AES-GCM sealing under a ring of keys derived per purpose, and Ed25519 signing keys sealed with it.

Every service that keeps a private key in its database seals it here, so that a copy of the database alone
does not give the key away; the secrets that unseal it come from the service's settings: the current one, which
seals, and the previous ones, which still open what they sealed, so that a secret can be rotated without making
the database unreadable.
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from jwt.algorithms import OKPAlgorithm

NONCE_BYTES = 12
KEY_ID_BYTES = 4
SEALED_FORMAT = b"\x01"  # the first byte of a value sealed with a key id; values from before it have none
HEADER_BYTES = len(SEALED_FORMAT) + KEY_ID_BYTES


def derive_key(secret: str, *, namespace: str, purpose: str) -> bytes:
    """A 256-bit key for one purpose of one service: HKDF-SHA256 of the service's secret, `info` naming the
    purpose (``regsys/<namespace>/<purpose>``), so that no two purposes share a key.

    No salt (RFC 5869's default, a block of zeros): the secret is already a random key of at least 32 characters
    in production, which is what HKDF's extract step would otherwise have to make of it, and a salt of our own
    would be one more value to keep forever beside every secret without adding anything."""
    info = f"regsys/{namespace}/{purpose}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode())


def legacy_key(secret: str, *, namespace: str, purpose: str) -> bytes:
    """The key the same purpose had before HKDF: what values sealed before key ids were sealed under, and what
    identity's ID-number lookup hash is still keyed by (see `identity.adapters.secrets`)."""
    return hashlib.sha256(f"regsys/{namespace}/{purpose}\x00{secret}".encode()).digest()


def key_id(secret: str) -> bytes:
    """The id a sealed value names its secret by: four bytes of a key derived for nothing else, so the id tells
    which secret of a ring sealed a value and gives away nothing that opens it."""
    return derive_key(secret, namespace="key-ring", purpose="key-id")[:KEY_ID_BYTES]


class SealedUnderUnknownKey(InvalidTag):
    """A sealed value names a key that is not in the ring: the secret that sealed it was rotated out too soon.

    An `InvalidTag`, so that whoever already treats an unopenable value as such still does."""


class Sealer:
    """AES-GCM under a ring of keys for one purpose: the current secret seals, it and the previous ones open.

    A sealed value reads ``01 | key id (4 bytes) | nonce (12) | ciphertext and tag``; the header is authenticated
    with the purpose, and the key id (`key_id`) picks the key that opens it, so the order of the previous secrets
    does not matter and an operator never numbers them. A value from before key ids (``nonce | ciphertext``,
    under `legacy_key`) still opens under any secret of the ring, as legacy version 0. (One such value in 2^40
    would begin like a header of the ring by chance; it would then fail to open: the price of not rewriting
    every stored value at once.)"""

    def __init__(self, secret: str, *, namespace: str, purpose: str, previous: Sequence[str] = ()) -> None:
        ring = list(dict.fromkeys([secret, *previous]))  # the current one first; a repeated one counts once
        self._current = key_id(secret)
        self._keys = {key_id(s): AESGCM(derive_key(s, namespace=namespace, purpose=purpose)) for s in ring}
        if len(self._keys) < len(ring):
            raise ValueError("two secrets of the key ring share a key id; generate a new current secret")
        self._legacy = [AESGCM(legacy_key(s, namespace=namespace, purpose=purpose)) for s in ring]
        self._purpose = purpose.encode()

    def seal(self, plaintext: bytes) -> bytes:
        """Encrypt and authenticate `plaintext` under the current key; the result is safe to store."""
        header, nonce = SEALED_FORMAT + self._current, os.urandom(NONCE_BYTES)
        return header + nonce + self._keys[self._current].encrypt(nonce, plaintext, header + self._purpose)

    def open(self, sealed: bytes) -> bytes:
        """The plaintext of a sealed value, under whichever key of the ring sealed it. Raises
        `SealedUnderUnknownKey` when that key is not in the ring, `cryptography.exceptions.InvalidTag` when the
        value was altered."""
        header, body = sealed[:HEADER_BYTES], sealed[HEADER_BYTES:]
        aead = self._keys.get(header[len(SEALED_FORMAT) :]) if header.startswith(SEALED_FORMAT) else None
        if aead is None:
            return self._open_legacy(sealed)
        return aead.decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], header + self._purpose)

    def _open_legacy(self, sealed: bytes) -> bytes:
        for aead in self._legacy:
            try:
                return aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], self._purpose)
            except InvalidTag:
                continue
        if sealed.startswith(SEALED_FORMAT):
            raise SealedUnderUnknownKey(
                f"the value was sealed under key id {sealed[1:HEADER_BYTES].hex()}, which is not in the ring "
                "(neither the current secret nor a previous one): put the secret that sealed it back among the "
                "previous ones"
            )
        raise SealedUnderUnknownKey(
            "the value opens under no key of the ring: it was altered, or sealed before key ids under a secret "
            "that is no longer among the previous ones"
        )

    def is_current(self, sealed: bytes) -> bool:
        """Whether `sealed` is sealed under the current key (and so needs no re-sealing after a rotation)."""
        return sealed[:HEADER_BYTES] == SEALED_FORMAT + self._current

    def resealed(self, sealed: bytes) -> bytes | None:
        """`sealed` sealed again under the current key, or None if it already is: after a rotation, what a
        service re-seals at start no longer needs the previous secret."""
        return None if self.is_current(sealed) else self.seal(self.open(sealed))


def new_signing_key(sealer: Sealer) -> dict[str, Any]:
    """A fresh Ed25519 key as a signing-key row: `kid`, the private half sealed, the public half a JWK."""
    private = Ed25519PrivateKey.generate()
    kid = uuid.uuid4().hex
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return {
        "kid": kid,
        "private_key_cipher": sealer.seal(pem),
        "public_jwk": {**public, "kid": kid, "alg": "EdDSA", "use": "sig"},
        "active": True,
    }


def open_signing_key(sealer: Sealer, private_key_cipher: bytes) -> Ed25519PrivateKey:
    """The private key of a signing-key row."""
    key = serialization.load_pem_private_key(sealer.open(private_key_cipher), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError("the sealed signing key is not an Ed25519 key")
    return key


def public_key_of(jwk: dict[str, Any]) -> Ed25519PublicKey:
    """The Ed25519 public key of a published JWK."""
    key = OKPAlgorithm.from_jwk(jwk)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the JWK is not an Ed25519 public key")
    return key


SEALED_DELIVERY_PREFIX = "sealed:v1:"


class SealedWithoutKey(ValueError):
    """A sealed code or link came, and this service holds no CODE_DELIVERY_KEY to open it."""


class DeliverySealer:
    """One-time codes and e-mail links on their way from identity to notifications, sealed with a key only those
    two services hold (`CODE_DELIVERY_KEY`), so neither identity's outbox nor the broker holds a readable one.

    Sealed, a value reads `sealed:v1:` followed by the URL-safe base64 (with padding) of what
    `Sealer(key, namespace="code-delivery", purpose="one-time-code", previous=CODE_DELIVERY_PREVIOUS_KEYS)` sealed:
    since that names its key, the two services rotate the key without losing codes in flight. The prefix stayed
    `v1` on purpose: a notifications from before key ids fails to open a new value and dead-letters it, where a
    prefix it did not know would have passed the sealed text on as the code. Without a key (allowed outside
    production only) values travel as they are, and a value without the prefix opens to itself."""

    def __init__(self, key: str | None, *, previous: Sequence[str] = ()) -> None:
        self._sealer = (
            Sealer(key, namespace="code-delivery", purpose="one-time-code", previous=previous) if key else None
        )

    @property
    def seals(self) -> bool:
        return self._sealer is not None

    def seal(self, value: str) -> str:
        if self._sealer is None:
            return value
        return SEALED_DELIVERY_PREFIX + base64.urlsafe_b64encode(self._sealer.seal(value.encode())).decode()

    def open(self, value: str) -> str:
        if not value.startswith(SEALED_DELIVERY_PREFIX):
            return value
        if self._sealer is None:
            raise SealedWithoutKey("a sealed code came, and CODE_DELIVERY_KEY is not set here")
        return self._sealer.open(base64.urlsafe_b64decode(value[len(SEALED_DELIVERY_PREFIX) :])).decode()
