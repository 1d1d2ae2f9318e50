"""The development channels as one server, for a composed system: the mail catcher, an SMS gateway sink, and
an HTTP API to read back what both received (compose's development profile runs it as the `channels` container).

    python -m devstack.channel_server --directory DIR [--smtp-port 1025] [--http-port 8025]

- SMTP on ``--smtp-port``: every message kept as a file in ``DIR/mail`` (as ``devstack.channels`` does).
- ``POST /sms``: the JSON API notifications' HTTP SMS gateway speaks (``{"phone_numbers", "sign_name",
  "content"}`` with a bearer key, answered ``{"code": "OK", "biz_id": ...}``); each text is one JSON line in
  ``DIR/sms.jsonl``, in the development sink's format. The key is ``CHANNELS_SMS_KEY`` (none: any key).
- ``GET /sms?phone=P`` → ``{"texts": [...]}``; ``GET /mail?address=A`` → ``{"messages": [raw RFC 5322, ...]}``,
  oldest first; ``GET /healthz``.

Only for development and tests: it keeps what it receives, so it never belongs in a production deployment.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from devstack.channels import ENVELOPE_TO, read_sms, serve

SMS_LOCK = threading.Lock()


def mail_for(directory: Path, address: str) -> list[str]:
    """Raw messages for one recipient, oldest first (the same selection as ``channels.read_mail``)."""
    wanted = address.strip().lower()
    found = []
    for path in sorted(directory.glob("*.eml")) if directory.exists() else []:
        raw = path.read_bytes()
        head = raw.split(b"\r\n", 1)[0].decode("utf-8", "replace")
        if head.startswith(f"{ENVELOPE_TO}:"):
            recipients = {r.strip().lower() for r in head.split(":", 1)[1].split(",")}
            if wanted in recipients:
                found.append(raw.decode("utf-8", "surrogateescape"))
    return found


def append_sms(sink: Path, phones: str, text: str) -> str:
    sent_at = datetime.now(UTC).isoformat()
    with SMS_LOCK, sink.open("a", encoding="utf-8") as out:
        for phone in (p.strip() for p in phones.split(",") if p.strip()):
            out.write(json.dumps({"phone": phone, "text": text, "sent_at": sent_at}, ensure_ascii=False) + "\n")
    return f"sink-{uuid.uuid4().hex[:12]}"


class ChannelHandler(BaseHTTPRequestHandler):
    """The sink's HTTP answers; `handler_for` binds it to a directory and a key."""

    sink: Path
    mail: Path
    key: str | None = None

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/healthz":
            self._answer(200, {"status": "ok"})
        elif url.path == "/sms" and "phone" in query:
            self._answer(200, {"texts": read_sms(self.sink, query["phone"])})
        elif url.path == "/mail" and "address" in query:
            self._answer(200, {"messages": mail_for(self.mail, query["address"])})
        else:
            self._answer(404, {"code": "NOT_FOUND", "message": "GET /sms?phone=, /mail?address= or /healthz"})

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/sms":
            self._answer(404, {"code": "NOT_FOUND", "message": "POST /sms"})
            return
        if self.key and self.headers.get("Authorization") != f"Bearer {self.key}":
            self._answer(401, {"code": "InvalidAccessKeyId", "message": "wrong key"})
            return
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            phones, text = str(body["phone_numbers"]), str(body["content"])
        except (ValueError, KeyError, TypeError):
            self._answer(400, {"code": "isv.INVALID_PARAMETERS", "message": "phone_numbers and content"})
            return
        self._answer(200, {"code": "OK", "message": "OK", "biz_id": append_sms(self.sink, phones, text)})

    def log_message(self, format: str, *args: Any) -> None:
        pass


def handler_for(directory: Path, key: str | None) -> type[BaseHTTPRequestHandler]:
    attributes = {"sink": directory / "sms.jsonl", "mail": directory / "mail", "key": key}
    return type("Handler", (ChannelHandler,), attributes)


def main() -> None:
    parser = argparse.ArgumentParser(prog="devstack.channel_server", description=__doc__)
    parser.add_argument("--directory", type=Path, required=True)
    parser.add_argument("--host", default="0.0.0.0")  # noqa: S104 - inside its container
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    args = parser.parse_args()
    args.directory.mkdir(parents=True, exist_ok=True)
    # PID 1 of its container: without a handler SIGTERM is ignored, and every `docker compose down` waits to kill it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    http = ThreadingHTTPServer(
        (args.host, args.http_port), handler_for(args.directory, os.environ.get("CHANNELS_SMS_KEY"))
    )
    threading.Thread(target=http.serve_forever, name="http", daemon=True).start()
    print(f"mail: SMTP {args.host}:{args.smtp_port}; SMS and reading: HTTP {args.host}:{args.http_port}", flush=True)
    asyncio.run(serve(args.directory / "mail", args.host, args.smtp_port))


if __name__ == "__main__":
    main()
