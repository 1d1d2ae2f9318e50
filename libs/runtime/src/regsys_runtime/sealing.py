"""Secrets at rest: AES-GCM sealing under a key derived per purpose, and Ed25519 signing keys sealed with it.

Every service that keeps a private key in its database seals it here, so that a copy of the database alone
does not give the key away; the secret that unseals it comes from the service's settings.
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jwt.algorithms import OKPAlgorithm

NONCE_BYTES = 12


def derive_key(secret: str, *, namespace: str, purpose: str) -> bytes:
    """A 256-bit key for one purpose of one service, derived from the service's secret."""
    return hashlib.sha256(f"regsys/{namespace}/{purpose}\x00{secret}".encode()).digest()


class Sealer:
    """AES-GCM with a key derived for one purpose; the nonce travels in front of the ciphertext."""

    def __init__(self, secret: str, *, namespace: str, purpose: str) -> None:
        self._aead = AESGCM(derive_key(secret, namespace=namespace, purpose=purpose))
        self._purpose = purpose.encode()

    def seal(self, plaintext: bytes) -> bytes:
        """Encrypt and authenticate `plaintext`; the result is safe to store."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, self._purpose)

    def open(self, sealed: bytes) -> bytes:
        """The plaintext of a sealed value; raises `cryptography.exceptions.InvalidTag` if it was altered."""
        return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], self._purpose)


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

    Sealed, a value reads `sealed:v1:` followed by the URL-safe base64 (with padding) of the AES-GCM nonce and
    ciphertext under `Sealer(key, namespace="code-delivery", purpose="one-time-code")`. Without a key (allowed
    outside production only) values travel as they are, and a value without the prefix opens to itself."""

    def __init__(self, key: str | None) -> None:
        self._sealer = Sealer(key, namespace="code-delivery", purpose="one-time-code") if key else None

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
