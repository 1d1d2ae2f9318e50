"""Issue 13, token abuse: every service refuses every forged, altered or misused access token with a 401.

The forgeries start from a real physician's token. Those that need identity's own signing key (an expired token,
another audience) sign with the key itself, opened from identity's schema with the stack's secret, so each one
differs from a valid token in exactly the one way it names; the same machinery re-signing the claims unchanged must
be accepted, or the refusals would prove nothing.
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devstack.stack import Stack
from e2e.journeys import EVERY_SERVICE, Client, answers_everywhere, in_a_thread, registered_physician
from identity.adapters.secrets import Sealer
from regsys_runtime.sealing import open_signing_key

pytestmark = pytest.mark.e2e


async def active_signing_key(stack: Stack) -> tuple[str, Ed25519PrivateKey, dict[str, Any]]:
    connection = await asyncpg.connect(stack.infra.postgres_admin_url.rsplit("/", 1)[0] + f"/{stack.database}")
    try:
        row = await connection.fetchrow(
            "SELECT kid, private_key_cipher, public_jwk FROM identity.signing_keys"
            " WHERE active ORDER BY created_at DESC"
        )
    finally:
        await connection.close()
    sealer = Sealer(stack.secrets["IDENTITY_SECRET_KEY"], "signing-key")
    return row["kid"], open_signing_key(sealer, row["private_key_cipher"]), json.loads(row["public_jwk"])


@pytest.fixture(scope="module")
def genuine(running_stack: Stack, admin: Client) -> dict[str, Any]:
    """A physician's real token and its claims, identity's signing key, and a refresh token of the same session."""
    physician = registered_physician(running_stack, admin)
    body = Client(running_stack).ok(
        "POST", "identity", "/tokens", json={"login_name": physician.login, "password": physician.password}
    )
    kid, private, public = in_a_thread(active_signing_key(running_stack))
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    return {"token": body["access_token"], "refresh": body["refresh_token"], "claims": claims, "kid": kid,
            "private": private, "public": public}  # fmt: skip


def signed(genuine: dict[str, Any], change: Callable[[dict[str, Any]], dict[str, Any]] = lambda c: c) -> str:
    claims = change(dict(genuine["claims"]))
    return jwt.encode(claims, genuine["private"], algorithm="EdDSA", headers={"kid": genuine["kid"]})


def hs256(genuine: dict[str, Any], key: bytes) -> str:
    """The key-confusion forgery, built by hand: PyJWT itself refuses to use a public key as an HMAC secret."""
    header = {"alg": "HS256", "typ": "JWT", "kid": genuine["kid"]}
    signing_input = ".".join(_b64(json.dumps(part).encode()) for part in (header, genuine["claims"]))
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def without(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda claims: {k: v for k, v in claims.items() if k != name}


def answers(stack: Stack, token: str) -> dict[str, int]:
    return answers_everywhere(Client(stack, token))


def test_the_forging_machinery_makes_tokens_every_service_accepts(running_stack: Stack, genuine):
    assert all(status in (200, 404) for status in answers(running_stack, genuine["token"]).values())
    assert all(status in (200, 404) for status in answers(running_stack, signed(genuine)).values())


FORGERIES: dict[str, Callable[[dict[str, Any]], str]] = {
    "expired": lambda g: signed(g, lambda c: {**c, "iat": time.time() - 7200, "exp": int(time.time()) - 3600}),
    "another audience": lambda g: signed(g, lambda c: {**c, "aud": "someone-else"}),
    "another issuer": lambda g: signed(g, lambda c: {**c, "iss": "https://issuer.example"}),
    "a refresh type": lambda g: signed(g, lambda c: {**c, "typ": "refresh"}),
    "no type": lambda g: signed(g, without("typ")),
    "no expiry": lambda g: signed(g, without("exp")),
    "no subject": lambda g: signed(g, without("sub")),
    "an unknown role": lambda g: signed(g, lambda c: {**c, "role": "superuser"}),
    "a subject that is no account id": lambda g: signed(g, lambda c: {**c, "sub": "admin"}),
    "alg none": lambda g: jwt.encode(g["claims"], None, algorithm="none", headers={"kid": g["kid"]}),
    "HS256 keyed with the public JWK": lambda g: hs256(g, json.dumps(g["public"]).encode()),
    "HS256 keyed with the public key's x": lambda g: hs256(g, g["public"]["x"].encode()),
    "a foreign key under identity's kid": lambda g: jwt.encode(
        g["claims"], Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": g["kid"]}
    ),
    "a foreign key under a kid of its own": lambda g: jwt.encode(
        g["claims"], Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": uuid.uuid4().hex}
    ),
    "no kid": lambda g: jwt.encode(g["claims"], g["private"], algorithm="EdDSA"),
    "the signature of another token": lambda g: ".".join(
        [*signed(g, lambda c: {**c, "role": "admin"}).split(".")[:2], g["token"].split(".")[2]]
    ),
    "the refresh token as bearer": lambda g: g["refresh"],
    "garbage": lambda g: "not.a.token",
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_every_service_refuses_the_forged_token(running_stack: Stack, genuine, forgery: str):
    answered = answers(running_stack, FORGERIES[forgery](genuine))
    assert answered == {service: 401 for service, _ in EVERY_SERVICE}, forgery
