import json
import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from notifications.domain.catalogue import SMS_KINDS
from notifications.settings import Settings

DB = "postgresql+asyncpg://n:pw-9f8a7b@127.0.0.1:5432/regsys"
ALIYUN_KEYS = {
    "sms_provider": "aliyun",
    "sms_aliyun_access_key_id": "LTAI5tExampleKeyId0001",
    "sms_aliyun_access_key_secret": "aliyun-secret-4c1d9e0b7a",
}
DELIVERY_KEY = {"CODE_DELIVERY_KEY": "a-code-delivery-key-of-forty-random-chars"}
EVERY_TEMPLATE = {kind.value: f"SMS_46530{n:04d}" for n, kind in enumerate(sorted(SMS_KINDS))}


def test_a_gateway_without_its_key_is_refused():
    with pytest.raises(ValidationError, match="NOTIFICATIONS_SMS_GATEWAY_KEY"):
        Settings(database_url=DB, sms_gateway_url="https://sms.example/send")


def test_an_empty_gateway_url_means_the_development_sink():
    settings = Settings(database_url=DB, sms_gateway_url="", sms_sink_path="dev/sms.jsonl")
    assert settings.sms_gateway_url is None
    assert settings.sms_channel == "sink"


def test_a_placeholder_gateway_key_is_refused():
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(database_url=DB, sms_gateway_url="https://sms.example/send", sms_gateway_key="changeme")


@pytest.mark.parametrize("environment", ["local", "test"])
def test_local_and_test_may_write_texts_to_the_sink(environment):
    assert Settings(database_url=DB, REGSYS_ENVIRONMENT=environment).sms_channel == "sink"


@pytest.mark.parametrize("provider", [{}, {"sms_provider": "sink"}, {"sms_gateway_url": ""}])
def test_production_refuses_the_development_sink_and_says_what_to_set(provider):
    with pytest.raises(ValidationError, match="NOTIFICATIONS_SMS_PROVIDER=aliyun") as refused:
        Settings(database_url=DB, REGSYS_ENVIRONMENT="production", **DELIVERY_KEY, **provider)
    assert "NOTIFICATIONS_SMS_ALIYUN_ACCESS_KEY_ID" in str(refused.value)


def test_production_serve_refuses_to_start_without_an_sms_channel(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("NOTIFICATIONS_", "REGSYS_"))},
        "REGSYS_ENVIRONMENT": "production",
        "NOTIFICATIONS_DATABASE_URL": DB,
        "NOTIFICATIONS_SMS_SINK_PATH": str(tmp_path / "sms.jsonl"),
        **DELIVERY_KEY,
    }
    started = subprocess.run(
        [sys.executable, "-m", "notifications", "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode != 0
    assert "NOTIFICATIONS_SMS_PROVIDER" in started.stderr
    assert not (tmp_path / "sms.jsonl").exists()


@pytest.mark.parametrize("missing", ["sms_aliyun_access_key_id", "sms_aliyun_access_key_secret"])
@pytest.mark.parametrize("environment", ["production", "local"])
def test_aliyun_without_its_keys_is_refused(missing, environment):
    keys = {name: value for name, value in ALIYUN_KEYS.items() if name != missing}
    with pytest.raises(ValidationError, match=missing.upper()):
        Settings(
            database_url=DB, REGSYS_ENVIRONMENT=environment, sms_aliyun_template_codes=EVERY_TEMPLATE, **DELIVERY_KEY,
            **keys,
        )  # fmt: skip


def test_a_placeholder_aliyun_secret_is_refused():
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(database_url=DB, **{**ALIYUN_KEYS, "sms_aliyun_access_key_secret": "changeme"})


def test_production_aliyun_needs_an_approved_template_for_every_kind_sent_by_sms():
    codes = {k: v for k, v in EVERY_TEMPLATE.items() if k != "code.activation"}
    with pytest.raises(ValidationError, match=r"code\.activation"):
        Settings(
            database_url=DB, REGSYS_ENVIRONMENT="production", sms_aliyun_template_codes=codes, **DELIVERY_KEY,
            **ALIYUN_KEYS,
        )  # fmt: skip


def test_production_aliyun_with_keys_and_templates_starts(monkeypatch):
    monkeypatch.setenv("NOTIFICATIONS_SMS_ALIYUN_TEMPLATE_CODES", json.dumps(EVERY_TEMPLATE))
    production = {"REGSYS_ENVIRONMENT": "production", **DELIVERY_KEY}
    settings = Settings(database_url=DB, sms_aliyun_sign_name="医师注册", **production, **ALIYUN_KEYS)
    assert settings.sms_channel == "aliyun"
    assert settings.sms_sign_name == "医师注册"
    assert settings.sms_aliyun_template_codes["code.verify_phone"] == EVERY_TEMPLATE["code.verify_phone"]
    assert "aliyun-secret" not in str(settings.safe_dump())


def test_a_template_code_for_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError, match=r"code\.verify_phon"):
        Settings(database_url=DB, sms_aliyun_template_codes={"code.verify_phon": "SMS_1"}, **ALIYUN_KEYS)


def test_production_needs_the_code_delivery_key_and_a_long_one(monkeypatch):
    monkeypatch.setenv("NOTIFICATIONS_SMS_ALIYUN_TEMPLATE_CODES", json.dumps(EVERY_TEMPLATE))
    production = {"database_url": DB, "REGSYS_ENVIRONMENT": "production", **ALIYUN_KEYS}
    with pytest.raises(ValidationError, match="CODE_DELIVERY_KEY must be set in production"):
        Settings(**production)
    with pytest.raises(ValidationError, match="at least 32 random characters"):
        Settings(**production, CODE_DELIVERY_KEY="short-key-0123")
    assert Settings(**production, **DELIVERY_KEY).delivery_key == DELIVERY_KEY["CODE_DELIVERY_KEY"]
