"""Keys at rest: ID numbers (encrypted, with a keyed lookup hash), passwords and token-signing keys."""

from __future__ import annotations

import hashlib
import hmac
import os
import time
import uuid
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jwt.algorithms import OKPAlgorithm

from regsys_runtime.auth import Principal

_passwords = PasswordHasher()  # Argon2id with the library's current recommended cost


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _passwords.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _derive(secret: str, purpose: str) -> bytes:
    return hashlib.sha256(f"regsys/identity/{purpose}\x00{secret}".encode()).digest()


class Sealer:
    """AES-GCM with a key derived for one purpose; the nonce travels in front of the ciphertext."""

    def __init__(self, secret: str, purpose: str) -> None:
        self._aead = AESGCM(_derive(secret, purpose))
        self._purpose = purpose.encode()

    def seal(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, self._purpose)

    def open(self, sealed: bytes) -> bytes:
        return self._aead.decrypt(sealed[:12], sealed[12:], self._purpose)


class IdNumberVault:
    """ID numbers are stored encrypted; uniqueness and look-ups use a keyed hash, never the number."""

    def __init__(self, secret: str) -> None:
        self._sealer = Sealer(secret, "id-number")
        self._lookup_key = _derive(secret, "id-number-lookup")

    def seal(self, number: str) -> bytes:
        return self._sealer.seal(number.encode())

    def open(self, sealed: bytes) -> str:
        return self._sealer.open(sealed).decode()

    def lookup(self, number: str) -> bytes:
        return hmac.new(self._lookup_key, number.encode(), hashlib.sha256).digest()


def new_signing_key(sealer: Sealer) -> dict[str, Any]:
    """A fresh Ed25519 key as a `signing_keys` row: the private half sealed, the public half a JWK."""
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


def sign_access_token(
    *, principal: Principal, kid: str, private_pem: bytes, issuer: str, audience: str, minutes: int
) -> str:
    now = int(time.time())
    claims = {
        **principal.claims(),
        "typ": "access",
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + minutes * 60,
        "jti": uuid.uuid4().hex,
    }
    key = serialization.load_pem_private_key(private_pem, password=None)
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})  # type: ignore[arg-type]
