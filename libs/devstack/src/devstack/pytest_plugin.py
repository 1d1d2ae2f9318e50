"""Fixtures that give tests a real Postgres, Redis and broker, and the running system.

Decided once per run: with a Docker engine answering and the infrastructure's images at hand, the
infrastructure comes from testcontainers; otherwise from local processes (the environment's Postgres and
Redis, else embedded ones, and Tansu). `REGSYS_TEST_INFRA=local` or `=containers` decides it by hand.
Each run gets its own database and roles, dropped at the end.
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

INFRA_IMAGES = ("postgres:17-alpine", "redis:7-alpine", "confluentinc/cp-kafka:7.7.1")


def _docker(*args: str) -> bool:
    try:
        done = subprocess.run(["docker", *args], capture_output=True, timeout=10, check=False)  # noqa: S603, S607
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def use_containers() -> bool:
    """Testcontainers when asked for, or when Docker answers and has the images (a machine with no registry
    to pull from would otherwise fail every test)."""
    choice = os.environ.get("REGSYS_TEST_INFRA", "auto")
    if choice in ("local", "containers"):
        return choice == "containers"
    return docker_answers() and all(_docker("image", "inspect", image) for image in INFRA_IMAGES)


def docker_answers() -> bool:
    return shutil.which("docker") is not None and _docker("info")


def _containers_infra() -> tuple[Infra, list[object]]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer
    from testcontainers.redis import RedisContainer

    postgres = PostgresContainer(
        "postgres:17-alpine",
        username="postgres",
        password="postgres",  # noqa: S106 - a throwaway container
        dbname="postgres",
        driver=None,
    ).start()
    redis = RedisContainer("redis:7-alpine").start()
    kafka = KafkaContainer("confluentinc/cp-kafka:7.7.1").with_kraft().start()
    infra = Infra(
        postgres_admin_url=postgres.get_connection_url(),
        redis_url=f"redis://{redis.get_container_host_ip()}:{redis.get_exposed_port(6379)}/0",
        kafka_bootstrap=kafka.get_bootstrap_server(),
        notes=["testcontainers"],
    )
    return infra, [postgres, redis, kafka]


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
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
    """What tests need that a real deployment must not have: a known captcha answer and short lockouts."""
    return {
        "REGSYS_ENVIRONMENT": "test",
        "IDENTITY_CAPTCHA_TEST_ANSWER": f"T{secrets.token_hex(2).upper()}",
        "IDENTITY_LOCKOUT_SECONDS": "3",
    }


@pytest.fixture(scope="session")
def prepared_stack(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A fresh database with every service's role, schema and migrations, and the topics; no services."""
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
def running_stack(prepared_stack: Stack) -> Iterator[Stack]:
    """The five services running against the prepared database."""
    prepared_stack.start_services()
    yield prepared_stack
    prepared_stack.stop()
