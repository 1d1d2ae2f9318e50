"""Fixtures that give tests a real Postgres, Redis and broker, and the running system.

Decided once per run:

- ``REGSYS_STACK=compose``: the e2e suite runs against the composed system (``devstack.composed``): the images
  built from the Dockerfile, reached only through ports published on 127.0.0.1. Integration tests, which need
  a database of their own, are skipped in this mode.
- otherwise, with a Docker engine answering and the infrastructure's images at hand (or
  ``REGSYS_TEST_INFRA=containers``; ``=local`` refuses them), the infrastructure comes from testcontainers (images from
  ``POSTGRES_IMAGE``, ``REDIS_IMAGE``, ``KAFKA_IMAGE``, defaulting to the official ones) and the services run as
  local processes against it;
- otherwise everything is local processes (the environment's Postgres and Redis, else embedded ones, and Tansu).

Each run gets its own database and roles, dropped at the end (not in compose mode: the deployment owns its data).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.infra import Infra, start_infra
from devstack.stack import Stack, generate_secrets

STACK_MODE = "REGSYS_STACK"  # "compose" to run the e2e suite against the composed system


def compose_mode() -> bool:
    return os.environ.get(STACK_MODE, "").lower() == "compose"


def _docker(*args: str) -> bool:
    try:
        done = subprocess.run(["docker", *args], capture_output=True, timeout=10, check=False)  # noqa: S603, S607
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def infra_images() -> tuple[str, str, str]:
    """The images of Postgres, Redis and the broker that testcontainers starts."""
    return (
        os.environ.get("POSTGRES_IMAGE", "postgres:17-alpine"),
        os.environ.get("REDIS_IMAGE", "redis:7-alpine"),
        os.environ.get("KAFKA_IMAGE", "apache/kafka:3.9.1"),
    )


def use_containers() -> bool:
    """Testcontainers when asked for, or when Docker answers and has the images (a machine with no registry
    to pull from would otherwise fail every test)."""
    choice = os.environ.get("REGSYS_TEST_INFRA", "auto")
    if choice in ("local", "containers"):
        return choice == "containers"
    return docker_answers() and all(_docker("image", "inspect", image) for image in infra_images())


def docker_answers() -> bool:
    return shutil.which("docker") is not None and _docker("info")


def _kafka_container(image: str) -> tuple[object, str]:
    """Kafka (the image's own KRaft setup), or the Tansu broker when the image is one (CI, no Kafka there)."""
    if "tansu" not in image:
        from testcontainers.kafka import KafkaContainer

        kafka = KafkaContainer(image).with_kraft().start()
        return kafka, kafka.get_bootstrap_server()
    from testcontainers.core.container import DockerContainer

    from devstack.processes import free_port

    # the broker advertises the address clients reach it at: a port chosen here, published on loopback
    port = free_port()
    broker = DockerContainer(image).with_bind_ports(9092, ("127.0.0.1", port))  # type: ignore[arg-type]  # docker-py takes (ip, port)
    broker.with_command(f"--listener-url tcp://0.0.0.0:9092 --advertised-listener-url tcp://127.0.0.1:{port}")
    broker.start()
    return broker, f"127.0.0.1:{port}"


def _containers_infra() -> tuple[Infra, list[object]]:
    from testcontainers.postgres import PostgresContainer
    from testcontainers.redis import RedisContainer

    from devstack.processes import port_answers, wait_until

    postgres_image, redis_image, kafka_image = infra_images()
    postgres = PostgresContainer(
        postgres_image,
        username="postgres",
        password="postgres",  # noqa: S106 - a throwaway container
        dbname="postgres",
        driver=None,
    ).start()
    redis = RedisContainer(redis_image).start()
    kafka, bootstrap = _kafka_container(kafka_image)
    wait_until(lambda: port_answers(int(bootstrap.rsplit(":", 1)[1])), timeout=30, what="the broker container")
    infra = Infra(
        postgres_admin_url=postgres.get_connection_url(),
        redis_url=f"redis://{redis.get_container_host_ip()}:{redis.get_exposed_port(6379)}/0",
        kafka_bootstrap=bootstrap,
        notes=["testcontainers"],
    )
    return infra, [postgres, redis, kafka]


def _compose_env_file(config: pytest.Config) -> Path:
    return Path(os.environ.get("REGSYS_COMPOSE_ENV_FILE", config.rootpath / ".env")).resolve()


@pytest.fixture(scope="session")
def composed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from devstack.composed import composed_stack

    stack = composed_stack(request.config.rootpath, _compose_env_file(request.config), tmp_path_factory.mktemp("c"))
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def infra(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    if compose_mode():
        yield request.getfixturevalue("composed").infra
        return
    if use_containers():
        infra, containers = _containers_infra()
        yield infra
        for container in containers:
            container.stop()  # type: ignore[attr-defined]
        return
    infra = start_infra(tmp_path_factory.mktemp("infra"))
    yield infra
    infra.stop()


def test_settings() -> dict[str, str]:
    """What tests need that a real deployment must not have: a known captcha answer, short lockouts and a
    business clock they can move.

    And every limit with windows of seconds and small numbers, so that ``tests/e2e/test_limits_burst_and_release.py``
    sees each refuse and let go again within a minute or two; the numbers stay above what the other journeys ask
    of one address (their requests all come from 127.0.0.1) in one window."""
    return {
        "REGSYS_ENVIRONMENT": "test",
        "REGSYS_SETTABLE_CLOCK": "true",
        "IDENTITY_CAPTCHA_TEST_ANSWER": f"T{secrets.token_hex(2).upper()}",
        "IDENTITY_LOCKOUT_SECONDS": "3",
        "IDENTITY_LOGIN_FAILURE_WINDOW_SECONDS": "20",
        "IDENTITY_ADDRESS_CAPTCHA_AFTER_FAILURES": "10",
        "IDENTITY_CAPTCHAS_PER_MINUTE": "10",
        "IDENTITY_CAPTCHAS_BURST_WINDOW_SECONDS": "4",
        "IDENTITY_CAPTCHAS_PER_HOUR": "25",
        "IDENTITY_CAPTCHAS_SUSTAINED_WINDOW_SECONDS": "15",
        "IDENTITY_CODE_RESEND_SECONDS": "2",
        "IDENTITY_CODES_PER_DESTINATION_DAILY": "3",
        "IDENTITY_CODES_PER_DESTINATION_WINDOW_SECONDS": "10",
        "IDENTITY_CODES_PER_ADDRESS_HOURLY": "20",
        "IDENTITY_CODES_PER_ADDRESS_WINDOW_SECONDS": "8",
        "LICENSING_VERIFICATION_BURST": "10",
        "LICENSING_VERIFICATION_BURST_WINDOW_SECONDS": "2",
        "LICENSING_VERIFICATION_PER_HOUR": "25",
        "LICENSING_VERIFICATION_SUSTAINED_WINDOW_SECONDS": "10",
        "LICENSING_DOCUMENTS_BURST": "20",
        "LICENSING_DOCUMENTS_BURST_WINDOW_SECONDS": "2",
        "LICENSING_DOCUMENTS_PER_HOUR": "50",
        "LICENSING_DOCUMENTS_SUSTAINED_WINDOW_SECONDS": "10",
    }


@pytest.fixture(scope="session")
def prepared_stack(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A fresh database with every service's role, schema and migrations, and the topics; no services."""
    if compose_mode():
        pytest.skip("needs a database of its own; the composed system's belongs to its deployment")
    stack = Stack.with_free_ports(
        infra=infra,
        database=f"regsys_test_{uuid.uuid4().hex[:8]}",
        workdir=Path(tmp_path_factory.mktemp("stack")),
        secrets=generate_secrets(),
        settings=test_settings(),
    )
    stack.prepare()
    yield stack
    stack.stop()
    stack.drop()


@pytest.fixture(scope="session")
def running_stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    """The five services running: against the prepared database, or the composed system's containers."""
    if compose_mode():
        yield request.getfixturevalue("composed")
        return
    prepared: Stack = request.getfixturevalue("prepared_stack")
    prepared.start_services()
    yield prepared
    prepared.stop()
