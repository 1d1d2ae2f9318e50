import json
import logging
from typing import ClassVar

import pytest
from pydantic import SecretStr, ValidationError
from pydantic_settings import SettingsConfigDict

from regsys_runtime.logs import JsonFormatter, correlation, mask_id_numbers
from regsys_runtime.settings import OwnKey, ServiceSettings


class DemoSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_")
    service_name: ClassVar[str] = "demo"
    http_port: int = 9000
    signing_secret: SecretStr = SecretStr("a-real-random-value-7f3k")


def test_settings_read_prefixed_and_shared_variables(monkeypatch):
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:s3cr3t-value@db/regsys")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    settings = DemoSettings()  # type: ignore[call-arg]
    assert settings.redis_url == "redis://cache:6379/0"
    assert "s3cr3t" not in json.dumps(settings.safe_dump(), default=str)


def test_redis_keys_live_in_the_deployment_and_service_namespace(monkeypatch):
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:s3cr3t-value@db/regsys")
    monkeypatch.setenv("REDIS_KEY_PREFIX", "regsys_test_1a2b")
    assert DemoSettings().redis_key("code", "42") == "regsys_test_1a2b:demo:code:42"  # type: ignore[call-arg]


@pytest.mark.parametrize("secret", ["changethis", "changeme", "", "  secret "])
def test_placeholder_secrets_are_refused(monkeypatch, secret):
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:fine-pass-91@db/regsys")
    monkeypatch.setenv("DEMO_SIGNING_SECRET", secret)
    with pytest.raises(ValidationError, match="placeholder"):
        DemoSettings()  # type: ignore[call-arg]


def test_placeholder_database_password_is_refused(monkeypatch):
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:changethis@db/regsys")
    with pytest.raises(ValidationError, match="placeholder password"):
        DemoSettings()  # type: ignore[call-arg]


def test_id_numbers_are_masked_to_first_six_and_last_four():
    assert mask_id_numbers("id 11010519491231002X ok") == "id 110105********002X ok"
    assert mask_id_numbers("order 123456789012345678901") == "order 123456789012345678901"  # 21 digits


def test_log_lines_are_json_with_correlation_id_and_no_id_number():
    record = logging.makeLogRecord(
        {
            "name": "t",
            "levelname": "INFO",
            "msg": "checked %s",
            "args": ("110105194912310021",),
            "applicant": "110105194912310021",
        }
    )
    with correlation("corr-42"):
        line = JsonFormatter("demo").format(record)
    entry = json.loads(line)
    assert entry["correlation_id"] == "corr-42"
    assert entry["message"] == "checked 110105********0021"
    assert entry["applicant"] == "110105********0021"
    assert "194912310" not in line


class KeyedSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_")
    service_name: ClassVar[str] = "demo"
    http_port: int = 9000
    secret_key: OwnKey


def test_a_short_own_key_is_refused_in_production_only(monkeypatch):
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:fine-pass-91@db/regsys")
    monkeypatch.setenv("DEMO_SECRET_KEY", "k")
    assert KeyedSettings().secret_key.get_secret_value() == "k"  # type: ignore[call-arg]
    monkeypatch.setenv("REGSYS_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="at least 32"):
        KeyedSettings()  # type: ignore[call-arg]
    monkeypatch.setenv("DEMO_SECRET_KEY", "x" * 31 + "y")
    assert len(KeyedSettings().secret_key.get_secret_value()) == 32  # type: ignore[call-arg]


def test_a_setting_can_come_from_a_file_named_by_its_file_variable(monkeypatch, tmp_path):
    (tmp_path / "db_url").write_text("postgresql+asyncpg://demo:from-a-file-77@db/regsys\n")
    (tmp_path / "key").write_text("a-key-kept-as-a-docker-secret-0123456789\n")
    monkeypatch.setenv("DEMO_DATABASE_URL_FILE", str(tmp_path / "db_url"))
    monkeypatch.setenv("DEMO_SECRET_KEY_FILE", str(tmp_path / "key"))
    settings = KeyedSettings()  # type: ignore[call-arg]
    assert settings.database_url.get_secret_value().endswith("from-a-file-77@db/regsys")
    assert settings.secret_key.get_secret_value() == "a-key-kept-as-a-docker-secret-0123456789"


def test_the_settable_clock_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:fine-pass-91@db/regsys")
    monkeypatch.setenv("DEMO_SECRET_KEY", "a-key-kept-as-a-docker-secret-0123456789")
    monkeypatch.setenv("REGSYS_SETTABLE_CLOCK", "true")
    assert KeyedSettings().settable_clock  # type: ignore[call-arg]
    monkeypatch.setenv("REGSYS_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="REGSYS_SETTABLE_CLOCK"):
        KeyedSettings()  # type: ignore[call-arg]
