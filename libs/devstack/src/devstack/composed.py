"""The composed system (docker compose) as the e2e suite's Stack: the same tests as against local processes.

``REGSYS_STACK=compose`` selects it in the fixtures (``devstack.pytest_plugin``). The project is found through
testcontainers' compose support, with the env file that configures it (``REGSYS_COMPOSE_ENV_FILE``, default
``.env``: its secrets, ``COMPOSE_FILE`` and the test settings). A project already up is used as it is (so a
scaled one stays scaled); one that is not is brought up and taken down again afterwards, its volumes kept.

Everything goes through ports published on 127.0.0.1: the services through the gateway (``/api/<service>``),
texts and e-mails through the development channels' read API, and Postgres for the suite's checks of what
is stored.
"""

from __future__ import annotations

import email
import email.policy
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import partial
from pathlib import Path

import httpx

from contracts.topics import SERVICES
from devstack import topics
from devstack.infra import Infra
from devstack.processes import wait_until
from devstack.stack import SERVICE_SECRETS, Stack

DATABASE = "regsys"  # the database docker-compose.yml provisions; roles are regsys_<service>
TEST_SETTINGS = ("IDENTITY_CAPTCHA_TEST_ANSWER",)


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines, as compose reads them (comments and blank lines skipped, no interpolation)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip().strip("'\"")
    return values


def loopback(host: str | None) -> str:
    return "127.0.0.1" if host in (None, "", "0.0.0.0", "::", "localhost") else host  # noqa: S104


@dataclass
class ComposedStack(Stack):
    gateway_url: str = ""
    channels_url: str = ""
    compose: object | None = None  # testcontainers' DockerCompose
    started_here: bool = False
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    def url(self, service: str) -> str:
        return f"{self.gateway_url}/api/{service}"

    def sms_messages(self, phone: str) -> list[str]:
        response = self.http.get(f"{self.channels_url}/sms", params={"phone": phone})
        response.raise_for_status()
        return [str(t) for t in response.json()["texts"]]

    def mail_messages(self, address: str) -> list[EmailMessage]:
        response = self.http.get(f"{self.channels_url}/mail", params={"address": address})
        response.raise_for_status()
        found = []
        for raw in response.json()["messages"]:
            message = email.message_from_bytes(raw.encode("utf-8", "surrogateescape"), policy=email.policy.default)
            if not isinstance(message, EmailMessage):
                raise TypeError("the mail catcher returned something that is not an e-mail")
            found.append(message)
        return found

    def address_at_gateway(self, address: str) -> str:
        """Whatever the client's address, Docker's proxy for a published port connects to the gateway from the
        project network's own gateway address: that is the client the gateway sees."""
        name = self.compose.get_container("gateway").Name  # type: ignore[attr-defined]
        template = "{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}"
        done = subprocess.run(["docker", "inspect", "-f", template, name], capture_output=True, text=True, check=True)  # noqa: S603, S607
        return done.stdout.strip()

    def topic_messages(self, topic_names: Sequence[str]) -> list[tuple[str, bytes]]:
        """The broker is inside the project's network: devstack/topics.py runs in identity's container (which has
        aiokafka) and hands back what it read."""
        source = Path(topics.__file__).read_text(encoding="utf-8")
        command = ["python", "-c", source, self.infra.kafka_bootstrap, *topic_names]
        out, err, code = self.compose.exec_in_container(command, "identity")  # type: ignore[attr-defined]
        if code != 0:
            raise RuntimeError(f"reading the topics in identity's container failed: {err[-2000:]}")
        return topics.from_lines(out)

    def service_logs(self) -> dict[str, str]:
        """What every replica of each service logged (`docker compose logs`), by service."""
        logs = {}
        for service in SERVICES:
            out, err = self.compose.get_logs(service)  # type: ignore[attr-defined]
            logs[service] = out + err
        return logs

    def prepare(self) -> None:
        """Compose's own one-shot containers provision and migrate: nothing to do from here."""

    def start_services(self, timeout: float = 90) -> None:
        """The services run in their containers; `ready` tells whether each answers through the gateway."""

    def stop(self) -> None:
        """Leaves the project as found: taken down (volumes kept) only if these fixtures brought it up."""
        if self.started_here and self.compose is not None:
            self.compose.stop(down=False)  # type: ignore[attr-defined]
            self.started_here = False

    def drop(self) -> None:
        raise RuntimeError(
            "the composed system's database belongs to its deployment; `docker compose down -v` drops it"
        )


def composed_stack(root: Path, env_file: Path, workdir: Path) -> ComposedStack:
    """Find (or bring up) the compose project configured by `env_file` and point a Stack at its ports."""
    from testcontainers.compose import DockerCompose

    env = read_env_file(env_file)
    compose = DockerCompose(context=root, env_file=[str(env_file)], wait=True, pull=False, build=False)
    started_here = not compose.get_containers()
    if started_here:
        compose.start()
    gateway = compose.get_service_host_and_port("gateway", 8080)
    postgres = compose.get_service_host_and_port("postgres", 5432)
    channels = compose.get_service_host_and_port("channels", 8025)
    infra = Infra(
        postgres_admin_url=(
            f"postgresql://postgres:{env['POSTGRES_PASSWORD']}@{loopback(postgres[0])}:{postgres[1]}/postgres"
        ),
        redis_url="redis://redis:6379/0",  # inside the project's network only
        kafka_bootstrap="kafka:9092",
        notes=[f"docker compose project ({env.get('COMPOSE_FILE', 'docker-compose.yml')})"],
    )
    secret_names = [f"{s.upper()}_DB_PASSWORD" for s in SERVICES] + [
        n for group in SERVICE_SECRETS.values() for n in group
    ]
    stack = ComposedStack(
        infra=infra,
        database=DATABASE,
        workdir=workdir,
        secrets={n: env[n] for n in secret_names if n in env},
        settings={n: env[n] for n in TEST_SETTINGS if n in env},
        gateway_url=f"http://{loopback(gateway[0])}:{gateway[1]}",
        channels_url=f"http://{loopback(channels[0])}:{channels[1]}",
        compose=compose,
        started_here=started_here,
    )
    warm_up(stack)
    return stack


def warm_up(stack: ComposedStack, timeout: float = 120) -> None:
    """Every service ready through the gateway, and one sign-in answered (its first one is the slowest: imports,
    the first Argon2 verification), with patience, before tests that allow each request ten seconds."""
    for service in SERVICES:
        wait_until(partial(stack.ready, service), timeout=timeout, what=f"{service} /readyz through the gateway")
    credentials = {"login_name": "admin", "password": stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"]}
    response = stack.http.post(f"{stack.url('identity')}/tokens", json=credentials, timeout=timeout)
    response.raise_for_status()
