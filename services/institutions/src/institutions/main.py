"""The institutions service: create_app builds it from settings."""

from collections.abc import Callable

from fastapi import FastAPI

from institutions.adapters.tables import messaging
from institutions.api import ROUTERS
from institutions.bootstrap import bootstrap
from institutions.messaging.handlers import handlers
from institutions.settings import Settings
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
    runtime = Runtime(settings or Settings(), messaging, key_source=key_source)
    wiring = Wiring(bootstrap=bootstrap, handlers=handlers if consume else lambda _: {})
    return create_service_app(runtime, wiring, title="regsys institutions", routers=ROUTERS)
