from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from regsys_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_")

    service_name: ClassVar[str] = "notifications"
    http_port: int = 8004
