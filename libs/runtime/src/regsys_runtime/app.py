"""One way to build a service's FastAPI app: runtime in the lifespan, problems, health, correlation ids."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from regsys_runtime import health
from regsys_runtime.logs import CORRELATION_HEADER, configure_logging, correlation
from regsys_runtime.problems import install_problem_handlers
from regsys_runtime.runtime import Runtime

StartHook = Callable[[Runtime], Awaitable[None]]


def current_runtime(request: Request) -> Runtime:
    """The runtime of the service answering this request (a FastAPI dependency)."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(current_runtime)]


class CorrelationMiddleware:
    """Each request runs under its correlation id (the caller's, or a new one), which goes back in the response.

    Plain ASGI rather than `BaseHTTPMiddleware`, which costs every request a task group and memory streams.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with correlation(Headers(scope=scope).get(CORRELATION_HEADER)) as correlation_id:

            async def send_with_correlation(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message)[CORRELATION_HEADER] = correlation_id
                await send(message)

            await self.app(scope, receive, send_with_correlation)


def create_service_app(
    runtime: Runtime, *, title: str, routers: Sequence[APIRouter] = (), on_start: Sequence[StartHook] = ()
) -> FastAPI:
    """The FastAPI app of one service, with its runtime started and stopped by the lifespan."""
    settings = runtime.settings
    configure_logging(settings.service_name, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        for hook in on_start:
            await hook(runtime)
        app.state.runtime = runtime
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(title=title, lifespan=lifespan)
    install_problem_handlers(app)

    app.add_middleware(CorrelationMiddleware)

    app.include_router(health.router)
    for router in routers:
        app.include_router(router)
    return app
