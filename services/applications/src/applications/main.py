"""The applications service: create_app builds it from settings."""

from fastapi import FastAPI

from applications.adapters.tables import messaging
from applications.api import ROUTERS
from applications.bootstrap import bootstrap
from applications.messaging.handlers import handlers
from applications.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.runtime import Runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), messaging)
    wiring = Wiring(bootstrap=bootstrap, handlers=handlers)
    return create_service_app(runtime, wiring, title="regsys applications", routers=ROUTERS)
