"""The licensing service: create_app builds it from settings."""

from collections.abc import Callable

from fastapi import FastAPI

from licensing.adapters.tables import messaging
from licensing.api import ROUTERS
from licensing.bootstrap import ON_START, Dependencies, bootstrap
from licensing.messaging.handlers import handlers
from licensing.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.auth import KeySource
from regsys_runtime.consumer import Handlers
from regsys_runtime.runtime import Runtime


def _no_handlers(_: Dependencies) -> Handlers:
    return {}


def create_app(
    settings: Settings | None = None,
    *,
    consume: bool = True,
    key_source: Callable[[Runtime], KeySource] | None = None,
) -> FastAPI:
    """The app; tests may run it without consumers, or trust another token issuer's keys."""
    settings = settings or Settings()
    runtime = Runtime(settings, messaging, key_source=key_source)
    wiring = Wiring(
        bootstrap=lambda rt: bootstrap(rt, settings),
        handlers=handlers if consume else _no_handlers,
        on_start=ON_START,
    )
    return create_service_app(runtime, wiring, title="regsys licensing", routers=ROUTERS)
