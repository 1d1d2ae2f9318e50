"""The licensing service: create_app builds it from settings."""

from collections.abc import Callable

from fastapi import FastAPI

from licensing.adapters.tables import messaging
from licensing.api.licences import router as licences_router
from licensing.api.routes import router
from licensing.messaging.handlers import handlers
from licensing.service import expiry
from licensing.service.licences import LicenceOffice, ensure_signing_key
from licensing.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.auth import KeySource
from regsys_runtime.runtime import Runtime


def create_app(
    settings: Settings | None = None,
    *,
    consume: bool = True,
    key_source: Callable[[Runtime], KeySource] | None = None,
) -> FastAPI:
    """The app; tests may run it without consumers, or trust another token issuer's keys."""
    settings = settings or Settings()
    office = LicenceOffice(settings)
    runtime = Runtime(settings, messaging, key_source=key_source)

    async def first_signing_key(rt: Runtime, _: Runtime) -> None:
        await ensure_signing_key(uow=rt.uow(), office=office)

    async def start_multi_site_expiry(rt: Runtime, _: Runtime) -> None:
        interval = settings.multi_site_expiry_interval_seconds
        rt.spawn(
            lambda: expiry.run_periodically(uow_factory=rt.uow, interval_seconds=interval, office=office),
            "multi-site expiry",
        )

    wiring = Wiring(
        bootstrap=lambda rt: rt,
        handlers=lambda _: handlers(office) if consume else {},
        on_start=[first_signing_key, start_multi_site_expiry],
    )
    app = create_service_app(runtime, wiring, title="regsys licensing", routers=[router, licences_router])
    app.state.licence_office = office
    return app
