"""The signed documents of the authority (licences, status lists): compact JWS (RFC 7515) with EdDSA.

A document is `base64url(header) . base64url(payload) . base64url(signature)`, the header naming the key
(`kid`) and the document type (`typ`). The keys themselves are kept in `signing_keys`.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"


class DocumentRejected(Exception):
    """A document that is not a genuine signed document of ours; `code` says why."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(part: str) -> bytes:
    """Strict base64url: only the alphabet, no padding, and only the one canonical spelling of the bytes
    (otherwise a changed last character could leave the decoded signature as it was)."""
    try:
        data = base64.b64decode(part + "=" * (-len(part) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DocumentRejected("malformed", "The document is not base64url-encoded.") from exc
    if b64url(data) != part:
        raise DocumentRejected("malformed", "The document is not in canonical base64url.")
    return data


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(payload: dict[str, Any], *, key: Ed25519PrivateKey, kid: str, typ: str) -> str:
    """A compact JWS of `payload`, signed with `key` and naming it by `kid`."""
    signing_input = f"{b64url(_json({'alg': ALGORITHM, 'kid': kid, 'typ': typ}))}.{b64url(_json(payload))}"
    return f"{signing_input}.{b64url(key.sign(signing_input.encode()))}"


@dataclass(frozen=True)
class Compact:
    """A compact JWS taken apart, its signature not yet checked."""

    header: dict[str, Any]
    protected: str
    payload: str
    signature: str

    @property
    def kid(self) -> str:
        return str(self.header["kid"])


def split(document: str) -> Compact:
    parts = document.strip().split(".")
    if len(parts) != 3 or not all(parts):
        raise DocumentRejected("malformed", "A signed document has three dot-separated parts.")
    try:
        header = json.loads(b64url_decode(parts[0]))
    except ValueError as exc:
        raise DocumentRejected("malformed", "The document's header is not JSON.") from exc
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
        raise DocumentRejected("malformed", "The document's header must name the EdDSA algorithm and a key id.")
    return Compact(header, parts[0], parts[1], parts[2])


def verify(compact: Compact, key: Ed25519PublicKey) -> dict[str, Any]:
    """The payload of a document whose signature `key` verifies; DocumentRejected otherwise."""
    try:
        key.verify(b64url_decode(compact.signature), f"{compact.protected}.{compact.payload}".encode())
    except InvalidSignature:
        raise DocumentRejected("signature-mismatch", "The signature does not match the document.") from None
    try:
        payload = json.loads(b64url_decode(compact.payload))
    except ValueError as exc:  # signed by us, so only if a key leaked
        raise DocumentRejected("malformed", "The document's payload is not JSON.") from exc
    if not isinstance(payload, dict):
        raise DocumentRejected("malformed", "The document's payload is not a JSON object.")
    return payload
