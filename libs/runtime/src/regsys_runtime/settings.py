"""Settings base: every service reads its configuration from the environment and refuses placeholders."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "changethis", "change-me", "secret", "password", "placeholder", "todo", "xxx", "example"}
)


def is_placeholder(value: str) -> bool:
    return value.strip().lower() in PLACEHOLDER_SECRETS or "changethis" in value.lower()


class ServiceSettings(BaseSettings):
    """Configuration shared by every service.

    Service-owned values (database URL, port, secrets) carry the service's env prefix
    (``IDENTITY_DATABASE_URL``); shared infrastructure (``REDIS_URL``, ``KAFKA_BOOTSTRAP_SERVERS``,
    ``JWKS_URL``) is read without a prefix so one value serves all five.
    """

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: ClassVar[str]  # also the name of the service's database schema and consumer group

    environment: Literal["local", "test", "production"] = Field("local", validation_alias="REGSYS_ENVIRONMENT")
    database_url: SecretStr
    http_host: str = "0.0.0.0"  # noqa: S104 - services listen on every interface inside their container
    http_port: int
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    redis_url: str = Field("redis://127.0.0.1:6379/0", validation_alias="REDIS_URL")
    redis_key_prefix: str = Field("regsys", validation_alias="REDIS_KEY_PREFIX")  # one deployment's keys
    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    kafka_session_timeout_ms: int = Field(10_000, validation_alias="KAFKA_SESSION_TIMEOUT_MS")
    kafka_heartbeat_interval_ms: int = Field(3_000, validation_alias="KAFKA_HEARTBEAT_INTERVAL_MS")
    jwks_url: str = Field("http://127.0.0.1:8001/.well-known/jwks.json", validation_alias="JWKS_URL")
    token_issuer: str = Field("regsys-identity", validation_alias="TOKEN_ISSUER")
    token_audience: str = Field("regsys", validation_alias="TOKEN_AUDIENCE")
    outbox_idle_poll_seconds: float = 5.0
    # a business clock the test stack moves (cancel filing within two years, overdue tasks); refused in production
    settable_clock: bool = Field(False, validation_alias="REGSYS_SETTABLE_CLOCK")

    @model_validator(mode="after")
    def _no_settable_clock_in_production(self) -> ServiceSettings:
        if self.environment == "production" and self.settable_clock:
            raise ValueError("REGSYS_SETTABLE_CLOCK is for tests; production keeps the real time")
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> ServiceSettings:
        password = make_url(self.database_url.get_secret_value()).password
        if password is not None and is_placeholder(str(password)):
            raise ValueError("database_url carries a placeholder password; set a real one")
        for name, value in self:
            if name != "database_url" and isinstance(value, SecretStr) and is_placeholder(value.get_secret_value()):
                raise ValueError(f"{name} is empty or a placeholder; set a real secret")
        return self

    def deployment_key(self, *parts: str) -> str:
        """A Redis key shared by every service of this deployment: ``regsys:clock:...``."""
        return ":".join((self.redis_key_prefix, *parts))

    def redis_key(self, *parts: str) -> str:
        """A Redis key in this deployment's and this service's namespace: ``regsys:identity:code:...``."""
        return ":".join((self.redis_key_prefix, self.service_name, *parts))

    def safe_dump(self) -> dict[str, Any]:
        """The settings as they may be logged: secrets stay masked."""
        return {k: ("**********" if isinstance(v, SecretStr) else v) for k, v in self}
