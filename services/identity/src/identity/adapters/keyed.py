"""Keyed digests: what Redis holds instead of codes, captcha answers and contact details."""

from __future__ import annotations

import hashlib
import hmac

from regsys_runtime.sealing import derive_key


class Digester:
    def __init__(self, secret: str, purpose: str) -> None:
        self._key = derive_key(secret, namespace="identity", purpose=purpose)

    def digest(self, *parts: str) -> str:
        return hmac.new(self._key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()

    def matches(self, expected: str, *parts: str) -> bool:
        return hmac.compare_digest(expected, self.digest(*parts))
