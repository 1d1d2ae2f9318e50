"""The licence office: what issuing and checking licences needs besides the database. One per process."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from licensing.adapters import compact_licences
from licensing.adapters.signing_keys import KeyRing
from licensing.domain.licence import Licence
from licensing.domain.status_list import StatusPurpose
from licensing.settings import Settings
from regsys_runtime.sealing import Sealer


@dataclass(frozen=True)
class LicenceOffice:
    """The settings, the sealed keys' secret and the public keys cached in this process."""

    settings: Settings
    sealer: Sealer
    keys: KeyRing
    # a bulkhead: public verification traffic may hold only this many database connections at once, so
    # that it neither starves officers and physicians nor churns the pool's overflow connections
    verification_slots: asyncio.Semaphore

    @classmethod
    def of(cls, settings: Settings) -> LicenceOffice:
        return cls(
            settings=settings,
            sealer=Sealer(
                settings.secret_key.get_secret_value(),
                namespace="licensing",
                purpose="signing-key",
                previous=settings.previous_secrets,
            ),
            keys=KeyRing(),
            verification_slots=asyncio.Semaphore(settings.verification_connections),
        )

    @property
    def status_lists_url(self) -> str:
        return f"{self.settings.public_base_url}/status-lists"

    def status_list_url(self, purpose: StatusPurpose) -> str:
        return f"{self.status_lists_url}/{purpose.value}"

    def verification_url(self, licence: Licence) -> str:
        """What the licence's QR code holds and the portal links to: the address of the verification page with
        the licence's small credential in it; a licence issued before credentials has its whole signed document."""
        if licence.credential is None:
            return f"{self.settings.public_base_url}/verify?licence={licence.document}"
        return compact_licences.address(self.settings.public_base_url, licence.credential)
