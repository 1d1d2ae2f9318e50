"""E-mail through SMTP, with aiosmtplib."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

import aiosmtplib

from notifications.domain.deliveries import SendFailure


class Mailer(Protocol):
    async def send(self, *, to: str, subject: str, text: str) -> str:
        """Send one e-mail; returns its message id, raises SendFailure when it is not taken."""
        ...


class SmtpMailer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        security: str = "none",
        timeout: float = 15.0,
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._username, self._password = username, password
        self._security, self._timeout = security, timeout

    def compose(self, *, to: str, subject: str, text: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="regsys.example")
        message.set_content(text)
        return message

    async def send(self, *, to: str, subject: str, text: str) -> str:
        """Send one e-mail; returns its Message-ID, raises SendFailure when the server does not take it."""
        message = self.compose(to=to, subject=subject, text=text)
        try:
            await aiosmtplib.send(
                message,
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                use_tls=self._security == "tls",
                start_tls=self._security == "starttls",
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            permanent = all(500 <= c < 600 for c in codes)
            raise SendFailure(f"mail server refused the recipient ({codes})", permanent=permanent) from exc
        except aiosmtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.code < 600 and exc.code != 552  # 552 is often a transient quota
            raise SendFailure(f"mail server answered {exc.code}: {exc.message}", permanent=permanent) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise SendFailure(f"mail server unreachable: {type(exc).__name__}") from exc
        return str(message["Message-ID"])
