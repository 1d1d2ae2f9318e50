"""The institutions service: create_app builds it from settings."""

from fastapi import FastAPI

from institutions.adapters.tables import messaging
from institutions.api import ROUTERS
from institutions.bootstrap import bootstrap
from institutions.messaging.handlers import handlers
from institutions.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.runtime import Runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), messaging)
    wiring = Wiring(bootstrap=bootstrap, handlers=handlers)
    return create_service_app(runtime, wiring, title="regsys institutions", routers=ROUTERS)
