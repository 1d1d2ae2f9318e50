import pytest
from pydantic import ValidationError

from notifications.settings import Settings

DB = "postgresql+asyncpg://n:pw-9f8a7b@127.0.0.1:5432/regsys"


def test_a_gateway_without_its_key_is_refused():
    with pytest.raises(ValidationError, match="NOTIFICATIONS_SMS_GATEWAY_KEY"):
        Settings(database_url=DB, sms_gateway_url="https://sms.example/send")


def test_an_empty_gateway_url_means_the_development_sink():
    settings = Settings(database_url=DB, sms_gateway_url="", sms_sink_path="dev/sms.jsonl")
    assert settings.sms_gateway_url is None


def test_a_placeholder_gateway_key_is_refused():
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(database_url=DB, sms_gateway_url="https://sms.example/send", sms_gateway_key="changeme")
