"""The QR code's credential: a licence's few public fields, signed small enough to scan, verifiable offline.

As the EU Digital COVID Certificate: a CBOR map (RFC 8949) signed as COSE_Sign1 (RFC 9052) with the authority's
Ed25519 key (EdDSA, alg -8, `kid` in the protected header), compressed with zlib (RFC 1950), in base45
(RFC 9285) after the prefix `RL1:`, so that every character is one of the QR code's alphanumeric mode. The QR
code holds it inside the verification address, `<BASE>/V/<credential, percent-encoded>`, scheme and host in
capitals, so that a phone's camera opens the verification page and the whole address stays alphanumeric.
services/licensing/README.md, "The QR code's credential", is the format for third parties.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from licensing.adapters import base45
from licensing.adapters.signed_documents import DocumentRejected
from licensing.domain.compact_licence import CompactLicence, MalformedClaims
from licensing.domain.licence import Verdict
from regsys_runtime.sealing import public_key_of

PREFIX = "RL1:"
ADDRESS_PATH = "/V/"
COSE_SIGN1 = 18  # the CBOR tag of a COSE_Sign1
HEADER_ALG, HEADER_KID = 1, 4
EDDSA = -8
MAX_CREDENTIAL_BYTES = 4096  # decompressed: a licence's credential is a few hundred bytes; refuse a zlib bomb
_KEEP_IN_ADDRESS = "$*+:"  # of the alphanumeric mode's symbols, those a URL path holds as they are


def seal(licence: CompactLicence, *, key: Ed25519PrivateKey, kid: str) -> str:
    """The credential of `licence`, signed with `key` (whose published JWK has the hex key id `kid`)."""
    protected = cbor2.dumps({HEADER_ALG: EDDSA, HEADER_KID: bytes.fromhex(kid)})
    payload = cbor2.dumps(licence.claims())
    signature = key.sign(_to_be_signed(protected, payload))
    cose = cbor2.dumps(cbor2.CBORTag(COSE_SIGN1, [protected, {}, payload, signature]))
    return PREFIX + base45.encode(zlib.compress(cose, 9))


def _to_be_signed(protected: bytes, payload: bytes) -> bytes:
    """RFC 9052's Sig_structure; no external data."""
    return cbor2.dumps(["Signature1", protected, b"", payload])


def address(base_url: str, credential: str) -> str:
    """The verification address the QR code holds. Base45's space, `%` and `/` are percent-encoded (a path can
    hold none of them as they are), which keeps them in the alphanumeric mode too."""
    scheme, _, rest = base_url.rstrip("/").partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.upper()}://{host.upper()}{slash}{path}{ADDRESS_PATH}{quote(credential, safe=_KEEP_IN_ADDRESS)}"


def is_credential(text: str) -> bool:
    """Whether `text` is a credential or an address holding one (else it may be a full signed licence)."""
    text = text.strip()
    return text.startswith(PREFIX) or ADDRESS_PATH + quote(PREFIX, safe=_KEEP_IN_ADDRESS) in text


def credential_of(text: str) -> str:
    """The credential in what a scanner read: the credential itself, or the address holding it (percent-encoded
    there, so the address's last `/V/` is where it starts)."""
    text = text.strip()
    if text.startswith(PREFIX) or ADDRESS_PATH not in text:
        return text
    return unquote(text[text.rindex(ADDRESS_PATH) + len(ADDRESS_PATH) :])


@dataclass(frozen=True)
class Sealed:
    """A credential taken apart, its signature not yet checked."""

    kid: str
    protected: bytes
    payload: bytes
    signature: bytes


def unseal(text: str) -> Sealed:
    """The parts of the credential in `text`; DocumentRejected("malformed") if it is none."""
    credential = credential_of(text)
    if not credential.startswith(PREFIX):
        raise DocumentRejected("malformed", f"A licence's QR code credential begins with {PREFIX}.")
    try:
        cose = _inflated(base45.decode(credential[len(PREFIX) :]))
        return _parts(cbor2.loads(cose))
    except (base45.NotBase45, zlib.error, cbor2.CBORError) as exc:
        raise DocumentRejected("malformed", "The credential is not base45 of a compressed COSE_Sign1.") from exc


def _inflated(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    cose = inflater.decompress(compressed, MAX_CREDENTIAL_BYTES)
    if inflater.unconsumed_tail or not inflater.eof:
        raise zlib.error("the credential is truncated or too large")
    return cose


def _parts(cose: object) -> Sealed:
    if isinstance(cose, cbor2.CBORTag) and cose.tag == COSE_SIGN1:
        cose = cose.value
    if not isinstance(cose, list | tuple) or len(cose) != 4 or not all(isinstance(cose[i], bytes) for i in (0, 2, 3)):
        raise cbor2.CBORError("not a COSE_Sign1: [protected, unprotected, payload, signature]")
    protected = cbor2.loads(cose[0])
    if not isinstance(protected, Mapping):
        protected = {}
    kid = protected.get(HEADER_KID)
    if protected.get(HEADER_ALG) != EDDSA or not isinstance(kid, bytes):
        raise DocumentRejected("malformed", "The credential's protected header must name EdDSA (-8) and a key id.")
    return Sealed(kid.hex(), cose[0], cose[2], cose[3])


def verify(sealed: Sealed, key: Ed25519PublicKey) -> CompactLicence:
    """The licence of a credential whose signature `key` verifies; DocumentRejected otherwise."""
    try:
        key.verify(sealed.signature, _to_be_signed(sealed.protected, sealed.payload))
    except InvalidSignature:
        raise DocumentRejected("signature-mismatch", "The signature does not match the credential.") from None
    try:
        return CompactLicence.of_claims(cbor2.loads(sealed.payload))
    except (cbor2.CBORError, MalformedClaims) as exc:  # signed by us, so only if a key leaked
        raise DocumentRejected("malformed", "The credential's payload is not a licence.") from exc


@dataclass(frozen=True)
class OfflineVerification:
    """What a verifier without a network can say: genuine and current by the clock, or why not."""

    verdict: Verdict
    reason: str
    detail: str
    licence: CompactLicence | None = None


def verify_offline(text: str, *, jwks: Mapping[str, Any], now: datetime) -> OfflineVerification:
    """Check a scanned QR code against the authority's published keys (its /.well-known/jwks.json, kept from
    the last time online). Suspension and revocation are the status lists' word or the online check's."""
    try:
        sealed = unseal(text)
        licence = verify(sealed, _published_key(jwks, sealed.kid))
    except DocumentRejected as rejected:
        return OfflineVerification(Verdict.BAD_SIGNATURE, rejected.code, rejected.detail)
    if licence.expires_at <= now:
        detail = "This licence has expired; the physician can claim a new one."
        return OfflineVerification(Verdict.EXPIRED, "licence-expired", detail, licence)
    detail = "The licence is genuine and unexpired; its current status needs the status lists or the online check."
    return OfflineVerification(Verdict.VALID, "genuine", detail, licence)


def _published_key(jwks: Mapping[str, Any], kid: str) -> Ed25519PublicKey:
    for jwk in jwks.get("keys", ()):
        if isinstance(jwk, Mapping) and jwk.get("kid") == kid:
            try:
                return public_key_of(dict(jwk))
            except (ValueError, TypeError, KeyError):
                break
    raise DocumentRejected("unknown-key", "The credential names a signing key the authority never published.")
