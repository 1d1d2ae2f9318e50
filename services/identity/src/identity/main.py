"""The identity service: create_app builds it from settings."""

from typing import Any

from fastapi import FastAPI

from identity.adapters.tables import messaging
from identity.api import admin, me, registration, security, sessions
from identity.bootstrap import Kit
from identity.messaging.handlers import handlers
from identity.service import accounts
from identity.service.keys import TokenIssuer
from identity.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.auth import KeySource
from regsys_runtime.runtime import Runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    issuer = TokenIssuer(settings)

    def own_keys(rt: Runtime) -> KeySource:
        async def keys() -> dict[str, Any]:
            return await issuer.jwks(uow=rt.uow())

        return keys

    runtime = Runtime(settings, messaging, key_source=own_keys)
    kit = Kit(runtime=runtime, settings=settings, issuer=issuer)

    async def prepare(rt: Runtime, _: Kit) -> None:
        await issuer.ensure_key(uow=rt.uow())
        if settings.bootstrap_admin_password is not None:
            await accounts.ensure_admin(uow=rt.uow(), password=settings.bootstrap_admin_password.get_secret_value())

    routers = [sessions.router, registration.router, me.router, security.router, admin.router]
    wiring = Wiring(bootstrap=lambda _: kit, handlers=handlers, on_start=[prepare])
    app = create_service_app(runtime, wiring, title="regsys identity", routers=routers)
    app.state.kit = kit
    return app
