"""The identity service: create_app builds it from settings."""

from functools import partial

from fastapi import FastAPI

from identity.adapters.tables import messaging
from identity.api import ROUTERS
from identity.bootstrap import Dependencies, bootstrap, own_keys
from identity.messaging.handlers import handlers
from identity.service import accounts
from identity.service.keys import TokenIssuer
from identity.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.runtime import Runtime


async def prepare(_: Runtime, deps: Dependencies) -> None:
    """The first signing key, and the bootstrap administrator if its password is set."""
    await deps.issuer.ensure_key(uow=deps.uow())
    if deps.settings.bootstrap_admin_password is not None:
        password = deps.settings.bootstrap_admin_password.get_secret_value()
        await accounts.ensure_admin(uow=deps.uow(), password=password)


def create_app(settings: Settings | None = None, *, consume: bool = True) -> FastAPI:
    """The app; tests may run it without consumers (a second replica that only serves)."""
    settings = settings or Settings()
    issuer = TokenIssuer(settings)
    runtime = Runtime(settings, messaging, key_source=own_keys(issuer))
    wiring = Wiring(
        bootstrap=partial(bootstrap, settings=settings, issuer=issuer),
        handlers=handlers if consume else lambda _: {},
        on_start=[prepare],
    )
    return create_service_app(runtime, wiring, title="regsys identity", routers=ROUTERS)
