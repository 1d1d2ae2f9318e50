"""The licensing service: create_app builds it from settings."""

from fastapi import FastAPI

from licensing.adapters.tables import messaging
from licensing.api.routes import router
from licensing.messaging.handlers import HANDLERS
from licensing.service import expiry
from licensing.settings import Settings
from regsys_runtime.app import create_service_app
from regsys_runtime.runtime import Runtime


async def start_multi_site_expiry(runtime: Runtime) -> None:
    assert isinstance(runtime.settings, Settings)
    interval = runtime.settings.multi_site_expiry_interval_seconds
    runtime.spawn(expiry.run_periodically(uow_factory=runtime.uow, interval_seconds=interval), "multi-site expiry")


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), messaging, handlers=HANDLERS)
    return create_service_app(runtime, title="regsys licensing", routers=[router], on_start=[start_multi_site_expiry])
