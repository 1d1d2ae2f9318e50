from typing import ClassVar

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from regsys_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_")

    service_name: ClassVar[str] = "identity"
    http_port: int = 8001
    secret_key: SecretStr  # encrypts the token-signing keys at rest
    id_number_key: SecretStr  # encrypts ID numbers and keys their lookup hash
    bootstrap_admin_password: SecretStr | None = None  # creates the `admin` account on first start
    access_token_minutes: int = 15
