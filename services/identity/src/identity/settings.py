from typing import ClassVar

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from regsys_runtime.settings import CodeDeliverySettings, OwnKey, PreviousKeys, secret_values


class Settings(CodeDeliverySettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_")

    service_name: ClassVar[str] = "identity"
    http_port: int = 8001
    secret_key: OwnKey  # encrypts the token-signing keys at rest and keys the code digests
    # what IDENTITY_SECRET_KEY was before a rotation, comma-separated: still opens the signing keys sealed under it
    previous_secret_keys: PreviousKeys = ()

    id_number_key: OwnKey  # encrypts ID numbers and keys their lookup hash (a blind index: it does not rotate)
    bootstrap_admin_password: SecretStr | None = None  # creates the `admin` account on first start
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    # sign-in throttling: a login name locks after this many failures within the window; an address that failed
    # this often within the window must solve a captcha with each sign-in (it is never locked: see the README)
    login_max_failures: int = 5
    login_failure_window_seconds: int = 900
    lockout_seconds: int = 900
    address_captcha_after_failures: int = 20
    # wrong certificate codes an account may enter (TCM specialty activation) within the sign-in failure window
    # before it is locked out of trying for `lockout_seconds`
    certificate_code_max_failures: int = 5
    # captcha pictures per client address: a burst per minute, a steady drip per hour
    captchas_per_minute: int = 60
    captchas_per_hour: int = 600
    captchas_burst_window_seconds: int = 60  # the window `captchas_per_minute` counts in
    captchas_sustained_window_seconds: int = 3600  # the window `captchas_per_hour` counts in
    # one-time codes
    code_minutes: int = 10
    activation_code_hours: int = 72
    code_resend_seconds: int = 60  # a code for the same purpose and destination waits this long after the last
    code_max_wrong_tries: int = 5  # wrong tries a one-time code takes; then it is void and only a new one helps
    activation_code_resend_seconds: int = 1  # the resend timer of activation codes (an institution grants them)
    codes_per_destination_daily: int = 10
    codes_per_destination_window_seconds: int = 86_400  # that cap's window: days from midnight Beijing time
    codes_per_address_hourly: int = 100  # a hospital's physicians may share one address: slows down, never all day
    codes_per_address_window_seconds: int = 3600  # that cap's window: clock hours
    registration_minutes: int = 30  # between step 1 and step 2 of registration
    email_link_minutes: int = 30
    portal_url: str = "http://127.0.0.1:8080/portal"  # where e-mailed links lead
    # every captcha's answer, for automated tests only; refused in production
    captcha_test_answer: SecretStr | None = None

    @property
    def previous_secrets(self) -> tuple[str, ...]:
        return secret_values(self.previous_secret_keys)

    @model_validator(mode="after")
    def _no_test_captcha_in_production(self) -> "Settings":
        if self.environment == "production" and self.captcha_test_answer is not None:
            raise ValueError("captcha_test_answer must not be set in production")
        return self
