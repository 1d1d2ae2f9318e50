from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from regsys_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LICENSING_")

    service_name: ClassVar[str] = "licensing"
    http_port: int = 8005
    multi_site_expiry_interval_seconds: float = 3600.0  # how often expired multi-site filings are ended
