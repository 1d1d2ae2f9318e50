"""The keys a secret was before its rotations: read like the others, held to the same rules in production."""

from typing import ClassVar

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from regsys_runtime.settings import MASK, CodeDeliverySettings, OwnKey, PreviousKeys, secret_values

KEY, OLD, OLDER = "current-key-" + "c" * 24, "previous-key-" + "p" * 23, "earlier-key-" + "e" * 24


class RotatingSettings(CodeDeliverySettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_")
    service_name: ClassVar[str] = "demo"
    http_port: int = 9000
    secret_key: OwnKey
    previous_secret_keys: PreviousKeys = ()


@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:fine-pass-91@db/regsys")
    monkeypatch.setenv("DEMO_SECRET_KEY", KEY)
    monkeypatch.setenv("CODE_DELIVERY_KEY", KEY)
    return monkeypatch


def test_previous_keys_are_none_unless_set_and_read_comma_separated(demo_env):
    assert RotatingSettings().previous_secret_keys == ()  # type: ignore[call-arg]
    demo_env.setenv("DEMO_PREVIOUS_SECRET_KEYS", "")
    assert RotatingSettings().previous_secret_keys == ()  # type: ignore[call-arg]
    demo_env.setenv("DEMO_PREVIOUS_SECRET_KEYS", f"{OLD}, {OLDER}")
    demo_env.setenv("CODE_DELIVERY_PREVIOUS_KEYS", OLD)
    settings = RotatingSettings()  # type: ignore[call-arg]
    assert secret_values(settings.previous_secret_keys) == (OLD, OLDER)
    assert settings.delivery_previous_keys == (OLD,)


def test_previous_keys_can_come_from_a_file_one_a_line(demo_env, tmp_path):
    (tmp_path / "previous").write_text(f"{OLD}\n{OLDER}\n")
    demo_env.setenv("DEMO_PREVIOUS_SECRET_KEYS_FILE", str(tmp_path / "previous"))
    assert secret_values(RotatingSettings().previous_secret_keys) == (OLD, OLDER)  # type: ignore[call-arg]


def test_previous_keys_never_show_in_the_logged_settings(demo_env):
    demo_env.setenv("DEMO_PREVIOUS_SECRET_KEYS", f"{OLD},{OLDER}")
    dumped = RotatingSettings().safe_dump()  # type: ignore[call-arg]
    assert dumped["previous_secret_keys"] == (MASK, MASK)
    assert OLD not in str(dumped) and OLDER not in str(dumped)


def test_a_short_previous_key_is_refused_in_production_only(demo_env):
    for variable in ("DEMO_PREVIOUS_SECRET_KEYS", "CODE_DELIVERY_PREVIOUS_KEYS"):
        demo_env.setenv("REGSYS_ENVIRONMENT", "local")
        demo_env.setenv(variable, f"{OLD},short")
        RotatingSettings()  # type: ignore[call-arg]
        demo_env.setenv("REGSYS_ENVIRONMENT", "production")
        with pytest.raises(ValidationError, match="at least 32"):
            RotatingSettings()  # type: ignore[call-arg]
        demo_env.setenv(variable, f"{OLD},{OLDER}")
        assert RotatingSettings().environment == "production"  # type: ignore[call-arg]


def test_a_placeholder_among_the_previous_keys_is_refused(demo_env):
    demo_env.setenv("DEMO_PREVIOUS_SECRET_KEYS", f"{OLD},changethis")
    with pytest.raises(ValidationError, match="previous_secret_keys is empty or a placeholder"):
        RotatingSettings()  # type: ignore[call-arg]


def test_previous_delivery_keys_need_a_current_one(demo_env):
    demo_env.delenv("CODE_DELIVERY_KEY")
    demo_env.setenv("CODE_DELIVERY_PREVIOUS_KEYS", OLD)
    with pytest.raises(ValidationError, match="CODE_DELIVERY_PREVIOUS_KEYS is set but CODE_DELIVERY_KEY is not"):
        RotatingSettings()  # type: ignore[call-arg]
