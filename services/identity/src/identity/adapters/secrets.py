"""Keys at rest: ID numbers (encrypted, with a keyed lookup hash), passwords and token-signing keys."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization

from regsys_runtime import sealing
from regsys_runtime.auth import Principal
from regsys_runtime.sealing import new_signing_key

__all__ = ["IdNumberVault", "Sealer", "hash_password", "new_signing_key", "password_matches", "sign_access_token"]

_passwords = PasswordHasher()  # Argon2id with the library's current recommended cost


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _passwords.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _derive(secret: str, purpose: str) -> bytes:
    return sealing.derive_key(secret, namespace="identity", purpose=purpose)


class Sealer(sealing.Sealer):
    """The shared sealer, with keys derived in identity's namespace."""

    def __init__(self, secret: str, purpose: str) -> None:
        super().__init__(secret, namespace="identity", purpose=purpose)


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
