"""The licensing service: create_app builds it from settings."""

from collections.abc import Callable

from fastapi import FastAPI

from licensing.adapters.tables import messaging
from licensing.api.licences import router as licences_router
from licensing.api.routes import router
from licensing.messaging.handlers import HANDLERS
from licensing.service.licences import LicenceOffice, ensure_signing_key
from licensing.settings import Settings
from regsys_runtime.app import create_service_app
from regsys_runtime.auth import KeySource
from regsys_runtime.consumer import Handlers
from regsys_runtime.runtime import Runtime


def create_app(
    settings: Settings | None = None,
    *,
    handlers: Handlers = HANDLERS,
    key_source: Callable[[Runtime], KeySource] | None = None,
) -> FastAPI:
    """The app; tests may run it without consumers, or trust another token issuer's keys."""
    settings = settings or Settings()
    runtime = Runtime(settings, messaging, handlers=handlers, key_source=key_source)
    office = LicenceOffice(settings)

    async def first_signing_key(rt: Runtime) -> None:
        await ensure_signing_key(uow=rt.uow(), office=office)

    app = create_service_app(
        runtime, title="regsys licensing", routers=[router, licences_router], on_start=[first_signing_key]
    )
    app.state.licence_office = office
    return app
