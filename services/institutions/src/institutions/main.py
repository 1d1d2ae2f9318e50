"""The institutions service: create_app builds it from settings."""

from fastapi import FastAPI

from institutions.adapters.tables import messaging
from institutions.api import activation, reviews
from institutions.api.routes import router
from institutions.messaging.handlers import HANDLERS
from institutions.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.runtime import Runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), messaging)
    wiring = Wiring(bootstrap=lambda rt: rt, handlers=lambda _: HANDLERS)
    routers = [router, activation.router, reviews.router]
    return create_service_app(runtime, wiring, title="regsys institutions", routers=routers)
