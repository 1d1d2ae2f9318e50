"""Log lines an operator's tools can read: JSON, no terminal colours, no secrets in the settings printed at start."""

import json
import logging
from typing import ClassVar

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from regsys_runtime.logs import JsonFormatter
from regsys_runtime.settings import ServiceSettings


class DemoSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_")
    service_name: ClassVar[str] = "demo"
    http_port: int = 9000
    api_key: SecretStr = SecretStr("a-real-random-value-7f3k")


def test_uvicorns_coloured_copy_of_a_message_is_left_out():
    record = logging.makeLogRecord(
        {"msg": "Uvicorn running on %s", "args": ("http://0.0.0.0:8001",),
         "color_message": "Uvicorn running on \x1b[1m%s\x1b[0m", "levelname": "INFO", "name": "uvicorn.error"}
    )  # fmt: skip
    line = JsonFormatter("demo").format(record)
    assert "\\u001b" not in line and "\x1b" not in line
    assert json.loads(line)["message"] == "Uvicorn running on http://0.0.0.0:8001"


def test_colour_codes_inside_a_message_are_stripped():
    record = logging.makeLogRecord({"msg": "\x1b[32mGET\x1b[0m /me 200", "levelname": "INFO"})
    assert json.loads(JsonFormatter("demo").format(record))["message"] == "GET /me 200"


def test_the_settings_printed_at_start_mask_secrets_and_passwords_in_urls(monkeypatch):
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:db-pass-4417@db/regsys")
    monkeypatch.setenv("REDIS_URL", "redis://:cache-pass-9921@cache:6379/0")
    dumped = DemoSettings().safe_dump()  # type: ignore[call-arg]
    text = json.dumps(dumped, default=str)
    assert "db-pass-4417" not in text and "cache-pass-9921" not in text and "7f3k" not in text
    assert dumped["redis_url"].startswith("redis://:**********@cache:6379")
    assert dumped["http_port"] == 9000
    assert dumped["outbox_retention_seconds"] == 3600.0
