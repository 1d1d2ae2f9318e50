"""Settings base: every service reads its configuration from the environment and refuses placeholders."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin

from pydantic import BeforeValidator, Field, SecretStr, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.engine import make_url

PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "changethis", "change-me", "secret", "password", "placeholder", "todo", "xxx", "example"}
)


FETCH_MAX_WAIT_MS = 100  # KAFKA_FETCH_MAX_WAIT_MS unless set
MIN_KEY_CHARACTERS = 32  # a key of ours: at least 32 random characters (about 190 bits as base64)


def is_placeholder(value: str) -> bool:
    return value.strip().lower() in PLACEHOLDER_SECRETS or "changethis" in value.lower()


class _OwnKey:
    """Marks a setting that is a key regsys derives its own keys from (not a password or a provider's key)."""


OwnKey = Annotated[SecretStr, _OwnKey()]


def _key_list(value: object) -> object:
    """`a,b` or one key a line (a `_FILE`) as a tuple of keys; a blank value is no keys."""
    return tuple(re.split(r"[,\s]+", value.strip())) if isinstance(value, str) and value.strip() else value or ()


# the secrets a key was before its rotations (sealing.py's key ring): they still open what they sealed, never seal
PreviousKeys = Annotated[tuple[SecretStr, ...], NoDecode, BeforeValidator(_key_list), _OwnKey()]


def is_own_key(info: FieldInfo) -> bool:
    """Whether a setting is an `OwnKey`, or an optional one (`OwnKey | None`)."""
    optional = [get_args(arg)[1:] for arg in get_args(info.annotation) if get_origin(arg) is Annotated]
    return any(isinstance(m, _OwnKey) for m in [*info.metadata, *(m for ms in optional for m in ms)])


class FileReferences(EnvSettingsSource):
    """`X_FILE=/run/secrets/x` stands for `X` with the file's content: Docker and Kubernetes secrets, not env.

    Only the variables of this class's own settings count; a missing file is an error, not an empty value.
    """

    def _load_env_vars(self) -> dict[str, str | None]:
        names = setting_names(self.settings_cls)
        return {
            name[: -len("_FILE")].lower(): Path(path).read_text().strip()
            for name, path in os.environ.items()
            if name.endswith("_FILE") and name[: -len("_FILE")].lower() in names
        }


def setting_names(settings_cls: type[BaseSettings]) -> set[str]:
    """The environment variables a settings class reads, in lower case."""
    prefix = settings_cls.model_config.get("env_prefix", "")
    return {
        (info.validation_alias if isinstance(info.validation_alias, str) else f"{prefix}{name}").lower()
        for name, info in settings_cls.model_fields.items()
    }


class ServiceSettings(BaseSettings):
    """Configuration shared by every service.

    Service-owned values (database URL, port, secrets) carry the service's env prefix
    (``IDENTITY_DATABASE_URL``); shared infrastructure (``REDIS_URL``, ``KAFKA_BOOTSTRAP_SERVERS``,
    ``JWKS_URL``) is read without a prefix so one value serves all five.
    """

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: ClassVar[str]  # also the name of the service's database schema and consumer group

    # local, test or production; production refuses test-only settings and short keys
    environment: Literal["local", "test", "production"] = Field("local", validation_alias="REGSYS_ENVIRONMENT")
    database_url: SecretStr  # postgresql+asyncpg://role:password@host/db of the service's own role
    # database connections each replica keeps open; every replica of every service counts against Postgres's
    # max_connections (see "Sizing the database")
    database_pool_size: int = Field(5, ge=1)
    # how many more a replica may open in a burst (besides these, one for LISTEN)
    database_max_overflow: int = Field(10, ge=0)
    http_host: str = "0.0.0.0"  # noqa: S104 - services listen on every interface inside their container
    http_port: int  # the port the API listens on
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")  # DEBUG shows the probes' access lines too
    redis_url: str = Field("redis://127.0.0.1:6379/0", validation_alias="REDIS_URL")  # codes, throttles, sessions
    redis_key_prefix: str = Field("regsys", validation_alias="REDIS_KEY_PREFIX")  # one deployment's keys
    # the Kafka brokers, host:port,host:port
    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    # how long a silent consumer keeps its partitions; a group join takes about half of it
    kafka_session_timeout_ms: int = Field(10_000, validation_alias="KAFKA_SESSION_TIMEOUT_MS")
    # a third of the session timeout or less
    kafka_heartbeat_interval_ms: int = Field(3_000, validation_alias="KAFKA_HEARTBEAT_INTERVAL_MS")
    # how long the broker may hold a consumer's fetch that found nothing: the floor of every hand-off's latency
    # on a broker that answers only when the wait ends; lower costs more idle fetches
    kafka_fetch_max_wait_ms: int = Field(FETCH_MAX_WAIT_MS, validation_alias="KAFKA_FETCH_MAX_WAIT_MS", ge=1, le=500)
    # where every service fetches identity's token-verification keys
    jwks_url: str = Field("http://127.0.0.1:8001/.well-known/jwks.json", validation_alias="JWKS_URL")
    token_issuer: str = Field("regsys-identity", validation_alias="TOKEN_ISSUER")  # the `iss` tokens must carry
    token_audience: str = Field("regsys", validation_alias="TOKEN_AUDIENCE")  # the `aud` tokens must carry
    # how long an event that came before what it depends on stays parked (parking.py) before it is dead-lettered
    parked_event_wait_seconds: float = Field(86_400.0, validation_alias="PARKED_EVENT_WAIT_SECONDS", gt=0)
    outbox_idle_poll_seconds: float = 5.0  # how often the relay looks at the outbox when no NOTIFY woke it
    # retention (retention.py): published outbox rows older than this are deleted (some carry one-time codes)
    outbox_retention_seconds: float = Field(3600.0, validation_alias="OUTBOX_RETENTION_SECONDS", gt=0)
    # inbox rows (applied event ids) older than this are deleted; never shorter than the broker keeps messages,
    # or a redelivered event would be applied twice
    inbox_retention_seconds: float = Field(7 * 24 * 3600.0, validation_alias="INBOX_RETENTION_SECONDS", gt=0)
    # how often each replica runs the retention job
    retention_interval_seconds: float = Field(600.0, validation_alias="RETENTION_INTERVAL_SECONDS", gt=0)
    retention_batch_size: int = Field(1000, validation_alias="RETENTION_BATCH_SIZE", ge=1)  # rows per DELETE
    # a business clock the test stack moves (cancel filing within two years, overdue tasks); refused in production
    settable_clock: bool = Field(False, validation_alias="REGSYS_SETTABLE_CLOCK")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, FileReferences(settings_cls), dotenv_settings, file_secret_settings

    @model_validator(mode="after")
    def _own_keys_are_long_in_production(self) -> ServiceSettings:
        if self.environment != "production":
            return self
        for name, info in type(self).model_fields.items():
            short = [k for k in _secrets_in(getattr(self, name)) if len(k.get_secret_value()) < MIN_KEY_CHARACTERS]
            if is_own_key(info) and short:
                raise ValueError(f"{name} must be at least {MIN_KEY_CHARACTERS} random characters in production")
        return self

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
            if name != "database_url" and any(is_placeholder(k.get_secret_value()) for k in _secrets_in(value)):
                raise ValueError(f"{name} is empty or a placeholder; set a real secret")
        return self

    def deployment_key(self, *parts: str) -> str:
        """A Redis key shared by every service of this deployment: ``regsys:clock:...``."""
        return ":".join((self.redis_key_prefix, *parts))

    def redis_key(self, *parts: str) -> str:
        """A Redis key in this deployment's and this service's namespace: ``regsys:identity:code:...``."""
        return ":".join((self.redis_key_prefix, self.service_name, *parts))

    def safe_dump(self) -> dict[str, Any]:
        """The settings as they may be logged: secrets stay masked, and so do passwords inside URLs."""
        return {k: _masked(v) for k, v in self}


def _secrets_in(value: Any) -> list[SecretStr]:
    """The secrets a setting holds: itself, or each of a list of keys."""
    values = value if isinstance(value, tuple) else (value,)
    return [v for v in values if isinstance(v, SecretStr)]


MASK = "**********"


_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")  # scheme://user:password@host


def _masked(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return MASK
    if isinstance(value, tuple):
        return tuple(_masked(v) for v in value)
    if isinstance(value, str):
        return _URL_PASSWORD.sub(rf"\g<1>{MASK}@", value)
    return value


class CodeDeliverySettings(ServiceSettings):
    """The settings of a service on either end of code delivery (identity, notifications): the key identity
    seals one-time codes and e-mail links with and notifications opens them with (sealing.py), the same value in
    both, read as `CODE_DELIVERY_KEY`, and the keys it was before a rotation, `CODE_DELIVERY_PREVIOUS_KEYS`, which
    still open codes sealed before it. Production requires the key."""

    # seals one-time codes and links between identity and notifications; unset, they travel readable (development)
    code_delivery_key: OwnKey | None = Field(None, validation_alias="CODE_DELIVERY_KEY")
    # what CODE_DELIVERY_KEY was before a rotation, comma-separated: still opens codes and links sealed under it
    code_delivery_previous_keys: PreviousKeys = Field((), validation_alias="CODE_DELIVERY_PREVIOUS_KEYS")

    @model_validator(mode="after")
    def _code_delivery_key_in_production(self) -> CodeDeliverySettings:
        if self.environment == "production" and self.code_delivery_key is None:
            raise ValueError(
                "CODE_DELIVERY_KEY must be set in production (the same value in identity and notifications)"
            )
        if self.code_delivery_previous_keys and self.code_delivery_key is None:
            raise ValueError("CODE_DELIVERY_PREVIOUS_KEYS is set but CODE_DELIVERY_KEY is not; set the current key")
        return self

    @property
    def delivery_key(self) -> str | None:
        return self.code_delivery_key.get_secret_value() if self.code_delivery_key else None

    @property
    def delivery_previous_keys(self) -> tuple[str, ...]:
        return secret_values(self.code_delivery_previous_keys)


def secret_values(keys: tuple[SecretStr, ...]) -> tuple[str, ...]:
    """The values of a list of keys (`PreviousKeys`), as a key ring takes them."""
    return tuple(k.get_secret_value() for k in keys)
