from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from regsys_runtime.settings import OwnKey, PreviousKeys, ServiceSettings, secret_values


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LICENSING_")

    service_name: ClassVar[str] = "licensing"
    http_port: int = 8005
    multi_site_expiry_interval_seconds: float = 3600.0  # how often expired multi-site filings are ended
    secret_key: OwnKey  # seals the licence-signing keys at rest
    # what LICENSING_SECRET_KEY was before a rotation, comma-separated: still opens the keys sealed under it
    previous_secret_keys: PreviousKeys = ()

    public_base_url: str = "http://127.0.0.1:8005"  # where verifiers reach this service: QR codes point here
    licence_issuer: str = "regsys-licensing"
    licence_issuer_name: str = "卫生健康行政部门"
    licence_validity_days: int = 1095
    status_list_max_age_seconds: int = 300  # how long a verifier may cache a status list
    status_list_validity_hours: int = 24  # after this a status list is stale and must be fetched again
    verification_connections: int = 8  # of the pool's connections, at most this many serve public verification
    # per client address: verifications (a burst in 10 s, then per hour), and downloads of keys and status lists
    verification_burst: int = 20
    verification_per_hour: int = 600
    documents_burst: int = 60
    documents_per_hour: int = 3600
    # the windows those count in: a burst's, then the sustained rate's (`*_per_hour`)
    verification_burst_window_seconds: int = 10
    verification_sustained_window_seconds: int = 3600
    documents_burst_window_seconds: int = 10
    documents_sustained_window_seconds: int = 3600

    @property
    def previous_secrets(self) -> tuple[str, ...]:
        return secret_values(self.previous_secret_keys)
