"""Keyed digests: what Redis holds instead of codes, captcha answers and contact details."""

from __future__ import annotations

import hashlib
import hmac

from regsys_runtime.sealing import derive_key


class Digester:
    """HMAC under a key derived (HKDF) from the current IDENTITY_SECRET_KEY only. What it digests lives in Redis for
    minutes to days, and a digest is looked up by recomputing it, so there is nothing to gain from a key ring:
    after a rotation the codes and captchas issued before it no longer match (people ask for new ones) and the
    resend and daily counters start again."""

    def __init__(self, secret: str, purpose: str) -> None:
        self._key = derive_key(secret, namespace="identity", purpose=purpose)

    def digest(self, *parts: str) -> str:
        return hmac.new(self._key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()

    def matches(self, expected: str, *parts: str) -> bool:
        return hmac.compare_digest(expected, self.digest(*parts))
