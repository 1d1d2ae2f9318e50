"""What identity's routes, handlers and start hooks need, built once the runtime is open; tests swap parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from identity.adapters.captchas import Captchas
from identity.adapters.codes import CodeBook
from identity.adapters.secrets import IdNumberVault
from identity.adapters.throttle import FailureCounter, FailureLimit, RateLimit, Window
from identity.adapters.tickets import Tickets
from identity.domain.codes import CodeLimits
from identity.service.keys import TokenIssuer
from identity.settings import Settings
from regsys_runtime.auth import KeySource
from regsys_runtime.clock import Clock
from regsys_runtime.db import UnitOfWork
from regsys_runtime.runtime import Runtime
from regsys_runtime.sealing import DeliverySealer


@dataclass(frozen=True)
class Dependencies:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    settings: Settings
    issuer: TokenIssuer
    vault: IdNumberVault
    codes: CodeBook
    code_limits: CodeLimits
    activation_code_limits: CodeLimits
    captchas: Captchas
    registrations: Tickets  # step 1 of registration done, step 2 to come
    email_links: Tickets
    old_phone_proofs: Tickets
    login_failures: FailureCounter
    address_failures: FailureCounter  # never locks: past its limit, sign-ins from the address need a captcha
    certificate_code_failures: FailureCounter
    captcha_requests: RateLimit
    delivery_sealer: DeliverySealer


def bootstrap(runtime: Runtime, settings: Settings, issuer: TokenIssuer) -> Dependencies:
    redis, s = runtime.redis, settings

    def failures(scope: str, max_failures: int, lock_seconds: int) -> FailureCounter:
        limit = FailureLimit(scope, max_failures, s.login_failure_window_seconds, lock_seconds)
        return FailureCounter(redis, s, limit)

    return Dependencies(
        uow=runtime.uow, clock=runtime.clock, settings=s, issuer=issuer,
        vault=IdNumberVault(s.id_number_key.get_secret_value()),
        codes=CodeBook(redis, s),
        code_limits=CodeLimits(
            ttl_seconds=s.code_minutes * 60, resend_after_seconds=s.code_resend_seconds,
            max_wrong_tries=s.code_max_wrong_tries,
            per_destination_daily=s.codes_per_destination_daily, per_address_hourly=s.codes_per_address_hourly,
            per_destination_window_seconds=s.codes_per_destination_window_seconds,
            per_address_window_seconds=s.codes_per_address_window_seconds,
        ),
        activation_code_limits=CodeLimits(
            ttl_seconds=s.activation_code_hours * 3600, resend_after_seconds=s.activation_code_resend_seconds,
            max_wrong_tries=s.code_max_wrong_tries,
        ),
        captchas=Captchas(redis, s),
        registrations=Tickets(redis, s, "registration"),
        email_links=Tickets(redis, s, "email-link"),
        old_phone_proofs=Tickets(redis, s, "old-phone-proof"),
        login_failures=failures("login", s.login_max_failures, s.lockout_seconds),
        address_failures=failures("address", s.address_captcha_after_failures, 0),
        certificate_code_failures=failures("certificate-code", s.certificate_code_max_failures, s.lockout_seconds),
        captcha_requests=RateLimit(
            redis, s, "captchas", Window(s.captchas_per_minute, s.captchas_burst_window_seconds),
            Window(s.captchas_per_hour, s.captchas_sustained_window_seconds),
        ),
        delivery_sealer=DeliverySealer(s.delivery_key, previous=s.delivery_previous_keys),
    )  # fmt: skip


def own_keys(issuer: TokenIssuer) -> Callable[[Runtime], KeySource]:
    """The runtime verifies access tokens with identity's own published keys, read from its database."""

    def key_source(runtime: Runtime) -> KeySource:
        async def keys() -> dict[str, Any]:
            return await issuer.jwks(uow=runtime.uow())

        return keys

    return key_source
