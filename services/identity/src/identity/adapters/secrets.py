"""Keys at rest: ID numbers (encrypted, with a keyed lookup hash), passwords and token-signing keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization

from regsys_runtime import sealing
from regsys_runtime.auth import Principal
from regsys_runtime.cpu import off_loop
from regsys_runtime.sealing import new_signing_key

__all__ = [
    "IdNumberVault",
    "Sealer",
    "hash_password",
    "new_signing_key",
    "sign_access_token",
    "verify_password",
]

_passwords = PasswordHasher()  # Argon2id with the library's current recommended cost
# what a password is checked against when no account has the login name: the same work as a wrong password
_NO_ACCOUNT_HASH = _passwords.hash(secrets.token_urlsafe(24))


async def hash_password(password: str) -> str:
    """Argon2id, in the process's CPU pool (it takes tens of milliseconds of CPU and releases the GIL)."""
    return await off_loop(_passwords.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed, checked in the process's CPU pool as `hash_password` is."""
    return await off_loop(_password_matches, password_hash, password)


def _password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed. With no hash (no such account) the password is checked against a
    dummy hash all the same, so an unknown login name takes as long to refuse as a wrong password."""
    try:
        return _passwords.verify(password_hash or _NO_ACCOUNT_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class Sealer(sealing.Sealer):
    """The shared sealer, with keys derived in identity's namespace: `previous` secrets still open what they
    sealed (a rotated IDENTITY_SECRET_KEY)."""

    def __init__(self, secret: str, purpose: str, *, previous: Sequence[str] = ()) -> None:
        super().__init__(secret, namespace="identity", purpose=purpose, previous=previous)


class IdNumberVault:
    """ID numbers are stored encrypted; uniqueness and look-ups use a keyed hash, never the number.

    The lookup hash is a blind index: it is only useful while every row is hashed under one key, so it has no
    key ring and IDENTITY_ID_NUMBER_KEY does not rotate (moving to a new key means importing the qualification
    registry again and re-hashing every account). Its key is derived with HKDF like every other; the numbers
    themselves are sealed as everything else is (HKDF, with a key id)."""

    def __init__(self, secret: str) -> None:
        self._sealer = Sealer(secret, "id-number")
        self._lookup_key = sealing.derive_key(secret, namespace="identity", purpose="id-number-lookup")

    def seal(self, number: str) -> bytes:
        return self._sealer.seal(number.encode())

    def open(self, sealed: bytes) -> str:
        return self._sealer.open(sealed).decode()

    def lookup(self, number: str) -> bytes:
        return hmac.new(self._lookup_key, number.encode(), hashlib.sha256).digest()


def sign_access_token(
    *, principal: Principal, kid: str, private_pem: bytes, issuer: str, audience: str, minutes: int,
    issued_at: float,
) -> str:  # fmt: skip
    """`iat` keeps milliseconds: a session ended at 10.4 s refuses a token of 10.2 s and not one of 10.6 s."""
    claims = {
        **principal.claims(),
        "typ": "access",
        "iss": issuer,
        "aud": audience,
        "iat": round(issued_at, 3),
        "exp": int(issued_at) + minutes * 60,
        "jti": uuid.uuid4().hex,
    }
    key = serialization.load_pem_private_key(private_pem, password=None)
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})  # type: ignore[arg-type]
