"""SMS adapters: a generic HTTP gateway, and a development sink that keeps messages in a file (Aliyun: aliyun_sms)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx

from notifications.domain.deliveries import SendFailure


class SmsGateway(Protocol):
    async def send(self, *, phone: str, text: str, template: str = "", params: Mapping[str, str] | None = None) -> str:
        """Send one text; returns the provider's message id, raises SendFailure when it is not taken.

        `text` is the whole text; `template` is its message kind and `params` the facts it was written with,
        for providers that send approved templates rather than free text (as Chinese providers do).
        """
        ...


class HttpSmsGateway:
    """The provider's JSON API: POST {"phone_numbers", "sign_name", "content"} with a bearer key.

    The provider answers ``{"code": "OK", "message": ..., "biz_id": ...}``; any other code is a refusal.
    Timeouts, network errors, 429 and 5xx are worth retrying; other refusals are not.
    """

    RETRYABLE_CODES = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "SYSTEM_BUSY", "THROTTLED"})

    def __init__(self, *, client: httpx.AsyncClient, url: str, key: str, sign_name: str, timeout: float) -> None:
        self._client, self._url, self._key = client, url, key
        self._sign_name, self._timeout = sign_name, timeout

    async def send(self, *, phone: str, text: str, template: str = "", params: Mapping[str, str] | None = None) -> str:
        body = {"phone_numbers": phone, "sign_name": self._sign_name, "content": text}
        try:
            response = await self._client.post(
                self._url, json=body, headers={"Authorization": f"Bearer {self._key}"}, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            raise SendFailure(f"SMS gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise SendFailure(f"SMS gateway answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise SendFailure(f"SMS gateway answered HTTP {response.status_code} without JSON") from None
        code = str(answer.get("code", ""))
        if response.status_code >= 400 or code != "OK":
            reason = f"SMS gateway refused ({response.status_code} {code}): {answer.get('message', '')}".strip()
            raise SendFailure(reason, permanent=code not in self.RETRYABLE_CODES)
        return str(answer.get("biz_id", ""))


class FileSmsSink:
    """Development channel: appends one JSON line per message, where a developer or a test can read it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = asyncio.Lock()

    async def send(self, *, phone: str, text: str, template: str = "", params: Mapping[str, str] | None = None) -> str:
        sent_at = datetime.now(UTC).isoformat()
        line = json.dumps({"phone": phone, "text": text, "sent_at": sent_at}, ensure_ascii=False) + "\n"
        async with self._lock:
            try:
                await asyncio.to_thread(self._append, line)
            except OSError as exc:
                raise SendFailure(f"SMS sink cannot be written: {exc.strerror}") from exc
        return f"sink:{sent_at}"

    def _append(self, line: str) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._path.open("a", encoding="utf-8") as sink:
            sink.write(line)
