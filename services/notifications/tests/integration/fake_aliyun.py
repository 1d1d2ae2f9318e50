"""A local fake of Aliyun's SMS API (dysmsapi 2017-05-25, SendSms), as strict as the real one where it matters.

It checks what Aliyun checks before it sends a text: the common parameters, a known AccessKeyId, a timestamp
within 15 minutes, a nonce never seen before, the HMAC-SHA1 signature (computed here independently, from the
documentation, not with the adapter's code), an approved signature name, an approved template, TemplateParam as
a JSON object holding exactly the template's variables within 35 characters each, and a mainland mobile number.
A text it accepts is kept as the phone would show it: 【SignName】 and the template with its variables filled.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote

COMMON = ("AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp")
VARIABLE = re.compile(r"\$\{(\w+)\}")


def _encode(value: str) -> str:
    # the documented rule: standard URL encoding, then "+" -> "%20", "*" -> "%2A", "%7E" -> "~"
    return quote(value, safe="~").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def expected_signature(secret: str, method: str, params: dict[str, str]) -> str:
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    canonical = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)
    to_sign = f"{method}&{_encode('/')}&{_encode(canonical)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


@dataclass
class Sent:
    phone: str
    text: str
    template_code: str
    params: dict[str, str]


@dataclass
class FakeAliyun:
    access_keys: dict[str, str]  # AccessKeyId -> AccessKeySecret
    sign_names: set[str]
    templates: dict[str, str]  # TemplateCode -> approved text with ${variables}
    sent: list[Sent] = field(default_factory=list)
    refusals: list[tuple[int, str]] = field(default_factory=list)  # (HTTP status, Code) of each refused request
    flow_control: int = 0  # answer the next requests with isv.BUSINESS_LIMIT_CONTROL
    nonces: set[str] = field(default_factory=set)
    url: str = ""

    def answer(self, method: str, params: dict[str, str]) -> tuple[int, dict[str, str]]:
        for check in (self._common, self._key, self._fresh, self._signed, self._content):
            refused = check(method, params)
            if refused is not None:
                self.refusals.append((refused[0], refused[1]["Code"]))
                return refused
        if self.flow_control > 0:
            self.flow_control -= 1
            return self._refuse(200, "isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
        return self._deliver(params)

    @staticmethod
    def _refuse(status: int, code: str, message: str) -> tuple[int, dict[str, str]]:
        return status, {"Code": code, "Message": message, "RequestId": str(uuid.uuid4())}

    def _common(self, method: str, p: dict[str, str]) -> tuple[int, dict[str, str]] | None:
        missing = [name for name in (*COMMON, "Signature", "Version") if not p.get(name)]
        if missing:
            return self._refuse(400, "MissingParameter", f"missing {missing[0]}")
        if p["Action"] != "SendSms" or p["Version"] != "2017-05-25":
            return self._refuse(400, "InvalidAction.NotFound", "Specified api is not found")
        if p["SignatureMethod"] != "HMAC-SHA1" or p["SignatureVersion"] != "1.0":
            return self._refuse(400, "InvalidSignatureMethod", "unsupported signature method")
        return None

    def _key(self, method: str, p: dict[str, str]) -> tuple[int, dict[str, str]] | None:
        if p["AccessKeyId"] not in self.access_keys:
            return self._refuse(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        return None

    def _fresh(self, method: str, p: dict[str, str]) -> tuple[int, dict[str, str]] | None:
        try:
            at = datetime.strptime(p["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            return self._refuse(400, "InvalidTimeStamp.Format", "Specified time stamp is not valid.")
        if abs(datetime.now(UTC) - at) > timedelta(minutes=15):
            return self._refuse(400, "InvalidTimeStamp.Expired", "Specified time stamp or date header is expired.")
        if p["SignatureNonce"] in self.nonces:
            return self._refuse(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        self.nonces.add(p["SignatureNonce"])
        return None

    def _signed(self, method: str, p: dict[str, str]) -> tuple[int, dict[str, str]] | None:
        if not hmac.compare_digest(p["Signature"], expected_signature(self.access_keys[p["AccessKeyId"]], method, p)):
            return self._refuse(
                400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
            )
        return None

    def _content(self, method: str, p: dict[str, str]) -> tuple[int, dict[str, str]] | None:
        if not re.fullmatch(r"1\d{10}", p.get("PhoneNumbers", "")):
            return self._refuse(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        if p.get("SignName") not in self.sign_names:
            return self._refuse(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        template = self.templates.get(p.get("TemplateCode", ""))
        if template is None:
            return self._refuse(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        try:
            params = json.loads(p.get("TemplateParam", "{}"))
        except ValueError:
            return self._refuse(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法")
        if not isinstance(params, dict) or not all(isinstance(v, str) for v in params.values()):
            return self._refuse(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        if set(VARIABLE.findall(template)) - set(params):
            return self._refuse(200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值")
        if any(len(v) > 35 for v in params.values()):
            return self._refuse(200, "isv.PARAM_LENGTH_LIMIT", "参数超出长度限制")
        return None

    def _deliver(self, p: dict[str, str]) -> tuple[int, dict[str, str]]:
        params = json.loads(p["TemplateParam"])
        text = VARIABLE.sub(lambda m: params[m.group(1)], self.templates[p["TemplateCode"]])
        self.sent.append(Sent(p["PhoneNumbers"], f"【{p['SignName']}】{text}", p["TemplateCode"], params))
        biz_id = f"{len(self.sent):06d}^0"
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": str(uuid.uuid4())}


def serve(fake: FakeAliyun) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve the fake on a free local port (RPC style: GET with a query, or POST with a form)."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str, raw: str) -> None:
            status, body = fake.answer(method, dict(parse_qsl(raw, keep_blank_values=True)))
            encoded = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def do_POST(self) -> None:
            self._reply("POST", self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())

        def do_GET(self) -> None:
            self._reply("GET", self.path.partition("?")[2])

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
