"""The system under the campaign: the local process stack with every service's broker and database behind a proxy
the campaign can cut, services it can SIGKILL and restart, and replicas that join and leave.

The development broker (Tansu) keeps its data in memory, so the broker is never restarted: it is cut off. It tells
its clients to reach it through the proxy (its advertised address), so every connection of every client, the
campaign's own included, goes through the proxy. Each service reaches Postgres through a proxy of its own.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy.engine import make_url

from contracts.topics import SERVICES
from devstack.infra import Infra, start_infra
from devstack.processes import ManagedProcess, free_port, wait_until
from devstack.pytest_plugin import test_settings
from devstack.stack import Stack, generate_secrets
from reliability.proxy import Proxy

# a loaded two-core machine can take this long to bring a service up (with 120 s a long run died before it began)
READY_SECONDS = 300


@dataclass
class Replica:
    service: str
    port: int
    process: ManagedProcess


@dataclass
class System:
    stack: Stack
    broker: Proxy
    databases: dict[str, Proxy]
    replicas: list[Replica] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)  # one fault on a process at a time

    @classmethod
    def start(cls, workdir: Path) -> System:
        broker_port = free_port()
        broker = Proxy("broker", broker_port)
        infra = start_infra(workdir / "infra", kafka_port=broker_port, kafka_advertised_port=broker.port)
        databases = {s: Proxy(f"{s} database", _port_of(infra)) for s in SERVICES}
        stack = Stack.with_free_ports(
            infra=infra,
            database=f"regsys_campaign_{secrets.token_hex(4)}",
            workdir=workdir,
            secrets=generate_secrets(),
            settings=test_settings(),
            database_ports={s: p.port for s, p in databases.items()},
        )
        system = cls(stack=stack, broker=broker, databases=databases)
        stack.prepare()
        stack.start_services(timeout=READY_SECONDS)
        return system

    def restart(self, service: str) -> None:
        """SIGKILL the service (a crash: no shutdown runs) and start it again."""
        with self.lock:
            self.stack.services[service].kill()
            self.stack.services[service] = self._process(service, self.stack.ports[service], service)
        self._wait_ready(service, self.stack.ports[service], self.stack.services[service])

    def join(self, service: str) -> Replica:
        """One more replica of the service: its own port, the same database, consumer group and outbox."""
        port = free_port()
        replica = Replica(service, port, self._process(service, port, f"{service}-{port}"))
        with self.lock:
            self.replicas.append(replica)
        self._wait_ready(service, port, replica.process)
        return replica

    def leave(self, replica: Replica, *, crash: bool) -> None:
        with self.lock:
            self.replicas.remove(replica)
        if crash:
            replica.process.kill()
        else:
            replica.process.stop()

    def replicas_of(self, service: str) -> list[Replica]:
        with self.lock:
            return [r for r in self.replicas if r.service == service]

    def heal_everything(self) -> None:
        """Every proxy through, every replica gone (leaving as a deployment scales in), every service up."""
        self.broker.heal()
        for proxy in self.databases.values():
            proxy.heal()
        for replica in list(self.replicas):
            self.leave(replica, crash=False)
        for service, process in self.stack.services.items():
            if not process.alive:
                self.restart(service)

    def stop(self) -> None:
        for replica in list(self.replicas):
            self.leave(replica, crash=True)
        self.stack.stop()
        self.stack.drop()
        self.stack.infra.stop()
        for proxy in (self.broker, *self.databases.values()):
            proxy.close()

    def _process(self, service: str, port: int, name: str) -> ManagedProcess:
        return ManagedProcess(
            service,
            self.stack.serve_command(service, port),
            env=self.stack.env(),
            log_path=self.stack.workdir / "logs" / f"{name}.log",
        )

    def _wait_ready(self, service: str, port: int, process: ManagedProcess) -> None:
        wait_until(partial(_ready, port), timeout=READY_SECONDS, what=f"{service} on {port}", process=process)


def _port_of(infra: Infra) -> int:
    return make_url(infra.postgres_admin_url).port or 5432


def _ready(port: int) -> bool:
    import httpx

    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
