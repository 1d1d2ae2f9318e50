"""The notifications service: create_app builds it from settings."""

from __future__ import annotations

from fastapi import FastAPI

from notifications.adapters.tables import messaging
from notifications.api import ROUTERS
from notifications.bootstrap import bootstrap, start_delivery, start_retention
from notifications.messaging.handlers import handlers
from notifications.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.runtime import Runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime(settings, messaging)
    wiring = Wiring(
        bootstrap=lambda rt: bootstrap(rt, settings), handlers=handlers, on_start=[start_delivery, start_retention]
    )
    return create_service_app(runtime, wiring, title="regsys notifications", routers=ROUTERS)
