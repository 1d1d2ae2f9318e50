from pathlib import Path
from typing import ClassVar, Literal

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from regsys_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_")

    service_name: ClassVar[str] = "notifications"
    http_port: int = 8004
    language: Literal["zh", "en"] = "zh"  # the language messages are written in
    product_name: str = "医师电子化注册"  # the signature that opens every SMS text

    # SMS: an HTTP gateway when its URL is set, else the development sink (one JSON line per message)
    sms_gateway_url: str | None = None
    sms_gateway_key: SecretStr | None = None
    sms_gateway_timeout_seconds: float = 10.0
    sms_sink_path: Path = Path("sms.jsonl")

    # e-mail through SMTP
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_timeout_seconds: float = 15.0
    mail_from: str = "医师电子化注册 <no-reply@regsys.example>"

    # delivery: a background worker sends pending deliveries, retrying with exponential backoff
    delivery_poll_seconds: float = 0.5
    delivery_max_attempts: int = 6
    delivery_backoff_seconds: float = 5.0
    delivery_backoff_max_seconds: float = 600.0
    delivery_lease_seconds: float = 120.0  # a claimed delivery whose sender died is retried after this

    # spending guard on SMS: caps per recipient and for the whole deployment, per rolling window
    sms_cap_per_recipient: int = 10
    sms_cap_per_recipient_window_seconds: int = 3600
    sms_cap_global: int = 5000
    sms_cap_global_window_seconds: int = 3600

    @field_validator("sms_gateway_url", "smtp_username", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _gateway_needs_a_key(self) -> "Settings":
        if self.sms_gateway_url and self.sms_gateway_key is None:
            raise ValueError("sms_gateway_url is set but sms_gateway_key is not; set NOTIFICATIONS_SMS_GATEWAY_KEY")
        return self
