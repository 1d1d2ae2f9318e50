"""The whole system as local processes: infrastructure, topics, roles, migrations and the five services."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from functools import partial
from pathlib import Path

import asyncpg
import httpx
import redis
from sqlalchemy.engine import make_url

from contracts.topics import ALL_TOPICS, SERVICES
from devstack.channels import read_mail, read_sms
from devstack.gateway import start_gateway
from devstack.infra import Infra
from devstack.portal import DIST
from devstack.processes import ManagedProcess, free_port, port_answers, wait_until
from devstack.topics import read_topics
from regsys_runtime.clock import CLOCK_OFFSET_KEY
from regsys_runtime.kafka import ensure_topics
from regsys_runtime.provision import provision

DEV_PORTS = {"identity": 8001, "applications": 8002, "institutions": 8003, "notifications": 8004, "licensing": 8005}
DEV_SMTP_PORT = 1025  # the development mail catcher
DEV_GATEWAY_PORT = 8080  # the one address for people

# Secrets each service needs besides its database password; generated per stack.
SERVICE_SECRETS: dict[str, tuple[str, ...]] = {
    "identity": ("IDENTITY_SECRET_KEY", "IDENTITY_ID_NUMBER_KEY", "IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"),
    "licensing": ("LICENSING_SECRET_KEY",),
    "identity and notifications": ("CODE_DELIVERY_KEY",),  # one key on both ends of code delivery
}


def generate_secrets() -> dict[str, str]:
    names = [f"{s.upper()}_DB_PASSWORD" for s in SERVICES]
    names += [n for group in SERVICE_SECRETS.values() for n in group]
    # account passwords follow the sign-in policy (6-16 characters, letters and digits)
    return {
        name: f"Rg1{secrets.token_hex(6)}"
        if name.endswith("_PASSWORD") and not name.endswith("_DB_PASSWORD")
        else secrets.token_urlsafe(32)
        for name in names
    }


@dataclass
class Stack:
    infra: Infra
    database: str
    workdir: Path
    secrets: Mapping[str, str]
    ports: Mapping[str, int] = field(default_factory=lambda: dict(DEV_PORTS))
    kafka_session_timeout_ms: int = 2_000
    settings: Mapping[str, str] = field(default_factory=dict)  # extra service settings, e.g. for tests
    smtp_port: int = DEV_SMTP_PORT
    gateway_port: int = DEV_GATEWAY_PORT
    services: dict[str, ManagedProcess] = field(default_factory=dict)
    mail_catcher: ManagedProcess | None = None
    gateway: ManagedProcess | None = None
    # a service's database reached at another port of loopback (a proxy the reliability campaign can cut)
    database_ports: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def with_free_ports(cls, **kwargs: object) -> Stack:
        ports = {s: free_port() for s in SERVICES}
        return cls(ports=ports, smtp_port=free_port(), gateway_port=free_port(), **kwargs)  # type: ignore[arg-type]

    @property
    def gateway_url(self) -> str:
        """The one origin of the portal and, under /api/<service>/, every service."""
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def sms_sink_path(self) -> Path:
        return self.workdir / "sms.jsonl"

    @property
    def mail_directory(self) -> Path:
        return self.workdir / "mail"

    def sms_messages(self, phone: str) -> list[str]:
        """Texts sent to a phone number through the development SMS sink, oldest first."""
        return read_sms(self.sms_sink_path, phone)

    def mail_messages(self, address: str) -> list[EmailMessage]:
        """E-mails the development mail catcher received for an address, oldest first."""
        return read_mail(self.mail_directory, address)

    def address_at_gateway(self, address: str) -> str:
        """The address the gateway sees a client connecting from `address` come from: that one."""
        return address

    def topic_messages(self, topics: Sequence[str]) -> list[tuple[str, bytes]]:
        """(topic, value) of every message on `topics` so far, oldest first per partition. Read in a thread of its
        own, so a caller inside a running event loop (an async test, a session fixture's teardown) can ask too."""
        with ThreadPoolExecutor(max_workers=1) as reader:
            return reader.submit(asyncio.run, read_topics(self.infra.kafka_bootstrap, topics)).result()

    def service_logs(self) -> dict[str, str]:
        """Everything each process of the stack logged, by its log file's name."""
        return {p.name: p.read_text(errors="replace") for p in (self.workdir / "logs").glob("*.log")}

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def role(self, service: str) -> str:
        return f"{self.database}_{service}"

    def database_url(self, service: str) -> str:
        admin = make_url(self.infra.postgres_admin_url)
        return admin.set(
            drivername="postgresql+asyncpg",
            port=self.database_ports.get(service, admin.port),
            username=self.role(service),
            password=self.secrets[f"{service.upper()}_DB_PASSWORD"],
            database=self.database,
        ).render_as_string(hide_password=False)

    def env(self) -> dict[str, str]:
        """The environment every service process gets (each reads its own prefixed values)."""
        env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
        env.update(
            {
                "REGSYS_ENVIRONMENT": "local",
                "REDIS_URL": self.infra.redis_url,
                "REDIS_KEY_PREFIX": self.database,  # stacks sharing one Redis keep apart
                "KAFKA_BOOTSTRAP_SERVERS": self.infra.kafka_bootstrap,
                "KAFKA_SESSION_TIMEOUT_MS": str(self.kafka_session_timeout_ms),
                "KAFKA_HEARTBEAT_INTERVAL_MS": str(max(100, self.kafka_session_timeout_ms // 6)),
                "JWKS_URL": f"{self.url('identity')}/.well-known/jwks.json",
                "PYTHONUNBUFFERED": "1",
                # notifications: development channels, never a real provider
                "NOTIFICATIONS_SMS_GATEWAY_URL": "",
                "NOTIFICATIONS_SMS_SINK_PATH": str(self.sms_sink_path),
                "NOTIFICATIONS_SMTP_HOST": "127.0.0.1",
                "NOTIFICATIONS_SMTP_PORT": str(self.smtp_port),
                "NOTIFICATIONS_SMTP_SECURITY": "none",
                "NOTIFICATIONS_DELIVERY_POLL_SECONDS": "0.2",
                # behind the gateway: only it may tell a service the client's address (uvicorn's proxy headers)
                "FORWARDED_ALLOW_IPS": "127.0.0.1",
                # links and QR codes lead people to the gateway: the portal's pages, licensing's status lists
                "IDENTITY_PORTAL_URL": f"{self.gateway_url}/portal",
                "LICENSING_PUBLIC_BASE_URL": self.gateway_url,
            }
        )
        for service in SERVICES:
            prefix = service.upper()
            env[f"{prefix}_DATABASE_URL"] = self.database_url(service)
            env[f"{prefix}_HTTP_PORT"] = str(self.ports[service])
            env[f"{prefix}_HTTP_HOST"] = "127.0.0.1"
        env.update({k: v for k, v in self.secrets.items() if not k.endswith("_DB_PASSWORD")})
        env.update(self.settings)
        return env

    def prepare(self) -> None:
        """Topics, roles and schemas, then every service's migrations."""
        asyncio.run(ensure_topics(self.infra.kafka_bootstrap, ALL_TOPICS))
        asyncio.run(provision(self.infra.postgres_admin_url, {s: self.database_url(s) for s in SERVICES}))
        env = self.env()
        for service in SERVICES:
            result = subprocess.run(  # noqa: S603
                [sys.executable, "-m", service, "migrate"], env=env, capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                raise RuntimeError(f"{service} migrations failed:\n{result.stdout}\n{result.stderr}")

    def start_mail_catcher(self, timeout: float = 30) -> None:
        """The development SMTP server that keeps every e-mail as a file in the mail directory."""
        if self.mail_catcher is not None and self.mail_catcher.alive:
            return
        self.mail_catcher = ManagedProcess(
            "mail",
            [
                sys.executable,
                "-m",
                "devstack.channels",
                "--directory",
                str(self.mail_directory),
                "--port",
                str(self.smtp_port),
            ],
            log_path=self.workdir / "logs" / "mail.log",
        )
        wait_until(
            partial(port_answers, self.smtp_port), timeout=timeout, what="the mail catcher", process=self.mail_catcher
        )

    def drop(self) -> None:
        """Remove the stack's database and its service roles (test and benchmark stacks)."""

        async def drop() -> None:
            conn = await asyncpg.connect(self.infra.postgres_admin_url)
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
                for service in SERVICES:
                    await conn.execute(f'DROP ROLE IF EXISTS "{self.role(service)}"')
            finally:
                await conn.close()

        asyncio.run(drop())

    def serve_command(self, service: str, port: int | None = None) -> list[str]:
        """What `python -m <service> serve` runs, plus the root path the gateway serves the service under; on
        `port` for a replica beside the first."""
        log_config = self.workdir / "uvicorn-logging.json"  # the service configures its own JSON logs
        log_config.write_text('{"version": 1, "disable_existing_loggers": false}')
        return [
            sys.executable, "-m", "uvicorn", f"{service}.main:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port or self.ports[service]),
            "--root-path", f"/api/{service}", "--proxy-headers", "--no-access-log", "--log-config", str(log_config),
        ]  # fmt: skip

    def start_services(self, timeout: float = 90) -> None:
        self.start_mail_catcher()
        env = self.env()
        for service in SERVICES:
            self.services[service] = ManagedProcess(
                service,
                self.serve_command(service),
                env=env,
                log_path=self.workdir / "logs" / f"{service}.log",
            )
        for service, process in self.services.items():
            wait_until(partial(self.ready, service), timeout=timeout, what=f"{service} /readyz", process=process)
        self.start_gateway()

    def start_gateway(self, timeout: float = 30) -> None:
        """Caddy with deploy/Caddyfile in front of the services and the built portal."""
        self.gateway = start_gateway(
            workdir=self.workdir,
            port=self.gateway_port,
            upstreams={s: [f"127.0.0.1:{p}"] for s, p in self.ports.items()},
            portal_root=DIST,
        )
        for service in SERVICES:
            wait_until(
                partial(self.ready_behind_gateway, service),
                timeout=timeout,
                what=f"{service} through the gateway",
                process=self.gateway,
            )

    def ready_behind_gateway(self, service: str) -> bool:
        try:
            return httpx.get(f"{self.gateway_url}/api/{service}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def set_clock(self, offset: timedelta, timeout: float = 10) -> None:
        """Move the business clock of every running service by `offset` from the real time (a test stack's
        services run with REGSYS_SETTABLE_CLOCK), and wait until each one keeps the new time."""
        client = redis.Redis.from_url(self.infra.redis_url)
        try:
            client.set(f"{self.database}:{CLOCK_OFFSET_KEY}", offset.total_seconds())
        finally:
            client.close()
        for service, process in self.services.items():
            wait_until(
                partial(self._keeps, service, offset), timeout=timeout, what=f"{service}'s clock", process=process
            )

    def _keeps(self, service: str, offset: timedelta) -> bool:
        now = httpx.get(f"{self.url(service)}/healthz", timeout=2).json().get("now")
        expected = datetime.now(UTC) + offset
        return now is not None and abs(datetime.fromisoformat(now) - expected) < timedelta(seconds=5)

    def ready(self, service: str) -> bool:
        try:
            return httpx.get(f"{self.url(service)}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.gateway is not None:
            self.gateway.stop()
            self.gateway = None
        for process in self.services.values():
            process.stop()
        self.services.clear()
        if self.mail_catcher is not None:
            self.mail_catcher.stop()
            self.mail_catcher = None
