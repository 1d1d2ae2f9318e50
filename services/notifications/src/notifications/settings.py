"""The settings of notifications, read from ``NOTIFICATIONS_*`` environment variables (or ``*_FILE`` secrets)."""

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from notifications.domain.catalogue import SMS_KINDS, MessageKind
from regsys_runtime.settings import CodeDeliverySettings

SmsProvider = Literal["aliyun", "http", "sink"]


class Settings(CodeDeliverySettings):
    """How notifications reaches people. Every name below is read as ``NOTIFICATIONS_<NAME>``.

    **SMS** — ``sms_provider`` chooses who sends the texts:

    - ``aliyun``: Alibaba Cloud SMS (短信服务, the ``dysmsapi`` API of version 2017-05-25). Chinese carriers take
      no free text: every text is a template approved beforehand in the Aliyun console, under an approved
      signature. Set ``sms_aliyun_access_key_id`` and ``sms_aliyun_access_key_secret`` (a RAM user's AccessKey
      allowed ``dysms:SendSms``; secrets: pass them as ``*_FILE`` Docker secrets), ``sms_aliyun_sign_name`` (the
      approved 签名, without brackets; default ``product_name``) and ``sms_aliyun_template_codes``, a JSON object
      from message kind to approved template code, e.g. ``{"code.verify_phone": "SMS_465300001", ...}``. Each
      template is the catalogue's text of that kind (``domain/catalogue.py``) with each ``{fact}`` written
      ``${fact}``; the facts are sent as TemplateParam under those names, each cut to Aliyun's 35 characters.
      Production needs a template code for every kind that goes by SMS (``SMS_KINDS``), and refuses to start
      naming the missing ones. ``sms_aliyun_endpoint`` and ``sms_aliyun_region_id`` rarely change (a test points
      the endpoint at a fake of the API).
    - ``http``: a generic JSON gateway at ``sms_gateway_url`` with the bearer key ``sms_gateway_key``.
    - ``sink``: the development channel, one JSON line per text in ``sms_sink_path``. For ``local`` and ``test``
      only: production refuses to start with it, so texts are never quietly written to a file.

    Unset, the provider is ``http`` when ``sms_gateway_url`` is set, else ``sink``.
    ``sms_gateway_timeout_seconds`` bounds every request to a provider.

    **E-mail** goes through SMTP: ``smtp_host``, ``smtp_port``, ``smtp_username``, ``smtp_password``,
    ``smtp_security`` (``none``, ``starttls``, ``tls``), ``mail_from``.

    **Delivery** is a background worker with exponential backoff (``delivery_*``); the **spending guard** caps
    SMS per recipient and overall per rolling window (``sms_cap_*``).

    **Retention**: once a delivery is final (sent, or failed for good), its personal data (the recipient's phone
    or address, the text, the template parameters) is erased after ``delivery_retention_days`` (default 30 days:
    long enough to answer "did my text arrive?", short enough not to keep a copy of everyone's messages). A
    periodic job does it every ``retention_interval_seconds``, safe with replicas; one-time codes and links are
    erased at once when final, regardless. What stays: when, which kind, on which channel, the outcome.
    """

    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_")

    service_name: ClassVar[str] = "notifications"
    http_port: int = 8004
    language: Literal["zh", "en"] = "zh"  # the language messages are written in
    product_name: str = "医师电子化注册"  # the signature that opens every SMS text

    # SMS: see the class docstring
    sms_provider: SmsProvider | None = None
    sms_gateway_url: str | None = None
    sms_gateway_key: SecretStr | None = None
    sms_gateway_timeout_seconds: float = 10.0
    sms_sink_path: Path = Path("sms.jsonl")
    sms_aliyun_access_key_id: SecretStr | None = None
    sms_aliyun_access_key_secret: SecretStr | None = None
    sms_aliyun_sign_name: str | None = None
    sms_aliyun_template_codes: dict[str, str] = Field(default_factory=dict)
    sms_aliyun_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    sms_aliyun_region_id: str = "cn-hangzhou"

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

    # retention of final deliveries' personal data: see the class docstring
    delivery_retention_days: float = 30.0
    retention_interval_seconds: float = 3600.0

    @field_validator("sms_gateway_url", "smtp_username", "sms_provider", "sms_aliyun_sign_name", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("sms_aliyun_template_codes")
    @classmethod
    def _template_codes_name_known_kinds(cls, codes: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(codes) - {kind.value for kind in MessageKind})
        if unknown:
            raise ValueError(f"sms_aliyun_template_codes names unknown message kinds: {', '.join(unknown)}")
        return codes

    @property
    def sms_channel(self) -> SmsProvider:
        """The SMS provider in use."""
        if self.sms_provider is not None:
            return self.sms_provider
        return "http" if self.sms_gateway_url else "sink"

    @property
    def sms_sign_name(self) -> str:
        """The approved signature Aliyun puts in front of every text."""
        return self.sms_aliyun_sign_name or self.product_name

    @model_validator(mode="after")
    def _gateway_needs_a_key(self) -> "Settings":
        if self.sms_gateway_url and self.sms_gateway_key is None:
            raise ValueError("sms_gateway_url is set but sms_gateway_key is not; set NOTIFICATIONS_SMS_GATEWAY_KEY")
        if self.sms_channel == "http" and not self.sms_gateway_url:
            raise ValueError("NOTIFICATIONS_SMS_PROVIDER=http needs NOTIFICATIONS_SMS_GATEWAY_URL and _KEY")
        return self

    @model_validator(mode="after")
    def _aliyun_needs_its_keys(self) -> "Settings":
        if self.sms_channel != "aliyun":
            return self
        if self.sms_aliyun_access_key_id is None or self.sms_aliyun_access_key_secret is None:
            raise ValueError(
                "NOTIFICATIONS_SMS_PROVIDER=aliyun needs NOTIFICATIONS_SMS_ALIYUN_ACCESS_KEY_ID and "
                "NOTIFICATIONS_SMS_ALIYUN_ACCESS_KEY_SECRET"
            )
        missing = sorted(kind.value for kind in SMS_KINDS if kind.value not in self.sms_aliyun_template_codes)
        if missing and self.environment == "production":
            raise ValueError(
                "NOTIFICATIONS_SMS_ALIYUN_TEMPLATE_CODES has no approved template code for: " + ", ".join(missing)
            )
        return self

    @model_validator(mode="after")
    def _production_sends_real_texts(self) -> "Settings":
        if self.environment == "production" and self.sms_channel == "sink":
            raise ValueError(
                "production needs a real SMS channel, not the development sink: set NOTIFICATIONS_SMS_PROVIDER=aliyun "
                "with NOTIFICATIONS_SMS_ALIYUN_ACCESS_KEY_ID, _ACCESS_KEY_SECRET, _SIGN_NAME and _TEMPLATE_CODES "
                "(or NOTIFICATIONS_SMS_PROVIDER=http with NOTIFICATIONS_SMS_GATEWAY_URL and _KEY)"
            )
        return self
