"""Alibaba Cloud SMS (阿里云短信服务): the ``SendSms`` action of the ``dysmsapi`` API, version 2017-05-25.

Chinese carriers take no free text: a text is an approved template (``TemplateCode``) under an approved
signature (``SignName``), filled with ``TemplateParam``, a JSON object of the template's variables. So this
adapter sends the message kind's template code and the facts the text was written with, never the text itself.

Requests are signed as Aliyun's RPC APIs require (signature version 1.0): every parameter but ``Signature``,
sorted by name, percent-encoded per RFC 3986 (``A-Z a-z 0-9 - _ . ~`` kept, space as ``%20``), joined with
``&``; the string to sign is ``POST&%2F&`` followed by that query, percent-encoded again; the signature is
Base64(HMAC-SHA1(AccessKeySecret + "&", string to sign)). A fresh ``SignatureNonce`` and the UTC
``Timestamp`` keep a request from being replayed.

Aliyun answers JSON ``{"Code": "OK", "Message": "OK", "BizId": ..., "RequestId": ...}``; any other code is a
refusal. Flow control, throttling and Aliyun's own errors are worth retrying; a wrong number, template,
signature or key is not.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from urllib.parse import quote

import httpx

from notifications.domain.deliveries import SendFailure

API_VERSION = "2017-05-25"
PARAM_LIMIT = 35  # Aliyun's limit on one variable of a notification template, in characters

RETRYABLE_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",  # the per-number flow control of the carrier: later is fine
        "isp.SYSTEM_ERROR",
        "isp.GATEWAY_ERROR",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "ServiceUnavailable",
        "InternalError",
        "SignatureNonceUsed",  # the next attempt has a new nonce
    }
)


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Aliyun's signature wants it: only ``A-Z a-z 0-9 - _ . ~`` stay as they are."""
    return quote(value, safe="-_.~")


def string_to_sign(method: str, parameters: Mapping[str, str]) -> str:
    """The string an RPC request's signature is computed over (every parameter but the signature itself)."""
    names = sorted(name for name in parameters if name != "Signature")
    query = "&".join(f"{percent_encode(name)}={percent_encode(parameters[name])}" for name in names)
    return f"{method}&{percent_encode('/')}&{percent_encode(query)}"


def signature(secret: str, method: str, parameters: Mapping[str, str]) -> str:
    """Base64(HMAC-SHA1(secret + "&", string to sign))."""
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, parameters).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def template_param(params: Mapping[str, str], *, limit: int = PARAM_LIMIT) -> str:
    """The template's variables as Aliyun takes them: a JSON object of strings, each within Aliyun's limit."""
    capped = {name: value if len(value) <= limit else value[: limit - 1] + "…" for name, value in params.items()}
    return json.dumps(capped, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class AliyunSms:
    """An SMS gateway (see `adapters.sms.SmsGateway`) that sends through Aliyun with approved templates."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        template_codes: Mapping[str, str],
        endpoint: str = "https://dysmsapi.aliyuncs.com/",
        region_id: str = "cn-hangzhou",
        timeout: float = 10.0,
        utc_now: Callable[[], datetime] = lambda: datetime.now(UTC),  # the real time: Aliyun refuses a skewed one
    ) -> None:
        self._client, self._endpoint, self._timeout = client, endpoint, timeout
        self._key_id, self._secret, self._region_id = access_key_id, access_key_secret, region_id
        self._sign_name, self._template_codes, self._utc_now = sign_name, dict(template_codes), utc_now

    async def send(self, *, phone: str, text: str, template: str = "", params: Mapping[str, str] | None = None) -> str:
        """Send the approved template of the message kind `template`; `text` is what it reads (not sent)."""
        code = self._template_codes.get(template)
        if code is None:
            raise SendFailure(
                f"no approved Aliyun template for {template!r}; add it to NOTIFICATIONS_SMS_ALIYUN_TEMPLATE_CODES",
                permanent=True,
            )
        form = self.signed_request(phone=phone, template_code=code, params=params or {})
        try:
            response = await self._client.post(self._endpoint, data=form, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise SendFailure(f"Aliyun SMS unreachable: {type(exc).__name__}") from exc
        return self._read_answer(response)

    def signed_request(self, *, phone: str, template_code: str, params: Mapping[str, str]) -> dict[str, str]:
        """The form of one SendSms request, its signature included."""
        form = {
            "AccessKeyId": self._key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": self._region_id,
            "SignName": self._sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": str(uuid.uuid4()),
            "SignatureVersion": "1.0",
            "TemplateCode": template_code,
            "TemplateParam": template_param(params),
            "Timestamp": self._utc_now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        return {**form, "Signature": signature(self._secret, "POST", form)}

    @staticmethod
    def _read_answer(response: httpx.Response) -> str:
        if response.status_code == 429 or response.status_code >= 500:
            raise SendFailure(f"Aliyun SMS answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise SendFailure(f"Aliyun SMS answered HTTP {response.status_code} without JSON") from None
        code = str(answer.get("Code", ""))
        if code == "OK" and response.status_code < 400:
            return str(answer.get("BizId", ""))
        reason = f"Aliyun SMS refused ({response.status_code} {code}): {answer.get('Message', '')}".strip()
        raise SendFailure(reason, permanent=code not in RETRYABLE_CODES)
