"""Development channels: an SMTP catcher that keeps each e-mail as a file, and readers of it and the SMS sink.

Run the catcher as ``python -m devstack.channels --directory DIR --port PORT``; the stack does this for
``make dev`` and the e2e fixtures. Each message is written to ``DIR/<nanoseconds>-<id>.eml`` (via a temporary
name, so a reader never sees half a message) with an ``X-Envelope-To`` header naming its SMTP recipients.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import json
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ENVELOPE_TO = "X-Envelope-To"


class MailDirectory:
    """An aiosmtpd handler that stores every message it accepts as a file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        header = f"{ENVELOPE_TO}: {', '.join(envelope.rcpt_tos)}\r\n".encode()
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        partial = self.directory / f".{name}.tmp"
        partial.write_bytes(header + raw)
        partial.rename(self.directory / f"{name}.eml")
        return "250 Message accepted for delivery"


def read_mail(directory: Path, address: str) -> list[EmailMessage]:
    """Messages the catcher stored for one recipient address, oldest first."""
    wanted = address.strip().lower()
    found = []
    for path in sorted(directory.glob("*.eml")) if directory.exists() else []:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if not isinstance(message, EmailMessage):
            raise TypeError(f"{path} is not an e-mail message")
        recipients = {r.strip().lower() for r in str(message.get(ENVELOPE_TO, "")).split(",")}
        if wanted in recipients:
            found.append(message)
    return found


def read_sms(path: Path, phone: str) -> list[str]:
    """Texts the development SMS sink holds for one phone number, oldest first."""
    if not path.exists():
        return []
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if entry.get("phone") == phone:
                texts.append(str(entry["text"]))
    return texts


async def serve(directory: Path, host: str, port: int) -> None:
    from aiosmtpd.smtp import SMTP

    handler = MailDirectory(directory)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, enable_SMTPUTF8=True), host=host, port=port)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(prog="devstack.channels", description="development SMTP catcher")
    parser.add_argument("--directory", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    print(f"catching mail on {args.host}:{args.port} into {args.directory}", flush=True)
    asyncio.run(serve(args.directory, args.host, args.port))


if __name__ == "__main__":
    main()
