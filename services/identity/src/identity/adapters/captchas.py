"""Image captchas: the answer kept as a keyed digest in Redis, expiring, good for one attempt."""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass

import redis.asyncio as aioredis
from captcha.image import ImageCaptcha

from identity.adapters.keyed import Digester
from identity.settings import Settings

_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: a person can tell every character apart
CAPTCHA_SECONDS = 300


@dataclass(frozen=True)
class Captcha:
    captcha_id: uuid.UUID
    image_png: bytes
    expires_in: int

    @property
    def image_data_url(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.image_png).decode()


class Captchas:
    def __init__(self, redis: aioredis.Redis, settings: Settings) -> None:
        self._redis, self._settings = redis, settings
        self._digester = Digester(settings.secret_key.get_secret_value(), "captcha")
        self._images = ImageCaptcha(width=160, height=60)
        self._test_answer = settings.captcha_test_answer

    def _answer(self) -> str:
        if self._test_answer is not None:
            return self._test_answer.get_secret_value()
        return "".join(secrets.choice(_ALPHABET) for _ in range(5))

    async def new(self) -> Captcha:
        captcha_id, answer = uuid.uuid4(), self._answer()
        image = self._images.generate(answer, format="png").getvalue()
        digest = self._digester.digest(str(captcha_id), answer.upper())
        await self._redis.set(self._settings.redis_key("captcha", str(captcha_id)), digest, ex=CAPTCHA_SECONDS)
        return Captcha(captcha_id=captcha_id, image_png=image, expires_in=CAPTCHA_SECONDS)

    async def solved(self, *, captcha_id: uuid.UUID, answer: str) -> bool:
        """True once for the right answer; any attempt uses the captcha up."""
        stored = await self._redis.getdel(self._settings.redis_key("captcha", str(captcha_id)))
        return stored is not None and self._digester.matches(str(stored), str(captcha_id), answer.strip().upper())
