"""What identity's use cases need, wired once from settings and the runtime; tests build the same kit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from identity.adapters.captchas import Captchas
from identity.adapters.codes import CodeBook
from identity.adapters.secrets import IdNumberVault
from identity.adapters.throttle import FailureCounter, FailureLimit
from identity.adapters.tickets import Tickets
from identity.domain.codes import CodeLimits
from identity.service.keys import TokenIssuer
from identity.settings import Settings
from regsys_runtime.db import UnitOfWork
from regsys_runtime.runtime import Runtime


@dataclass
class Kit:
    """The adapters are made on first use, once the runtime has started and Redis is there."""

    runtime: Runtime
    settings: Settings
    issuer: TokenIssuer

    @cached_property
    def vault(self) -> IdNumberVault:
        return IdNumberVault(self.settings.id_number_key.get_secret_value())

    @cached_property
    def codes(self) -> CodeBook:
        return CodeBook(self.runtime.redis, self.settings)

    @cached_property
    def captchas(self) -> Captchas:
        return Captchas(self.runtime.redis, self.settings)

    def tickets(self, kind: str) -> Tickets:
        return Tickets(self.runtime.redis, self.settings, kind)

    def _failures(self, scope: str, max_failures: int, lock_seconds: int | None = None) -> FailureCounter:
        s = self.settings
        limit = FailureLimit(scope, max_failures, s.login_failure_window_seconds, lock_seconds or s.lockout_seconds)
        return FailureCounter(self.runtime.redis, s, limit)

    @cached_property
    def login_failures(self) -> FailureCounter:
        return self._failures("login", self.settings.login_max_failures)

    @cached_property
    def address_failures(self) -> FailureCounter:
        return self._failures("address", self.settings.address_max_failures)

    @cached_property
    def certificate_code_failures(self) -> FailureCounter:
        return self._failures("certificate-code", 5)

    def uow(self) -> UnitOfWork:
        return self.runtime.uow()

    @property
    def code_limits(self) -> CodeLimits:
        s = self.settings
        return CodeLimits(
            ttl_seconds=s.code_minutes * 60,
            per_destination_daily=s.codes_per_destination_daily,
            per_address_daily=s.codes_per_address_daily,
        )

    @property
    def activation_code_limits(self) -> CodeLimits:
        return CodeLimits(ttl_seconds=self.settings.activation_code_hours * 3600, resend_after_seconds=1)
