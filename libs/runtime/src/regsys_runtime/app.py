"""One way to build a service's FastAPI app: runtime in the lifespan, problems, health, correlation ids."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response

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

    @app.middleware("http")
    async def correlate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        with correlation(request.headers.get(CORRELATION_HEADER)) as correlation_id:
            response = await call_next(request)
            response.headers[CORRELATION_HEADER] = correlation_id
            return response

    app.include_router(health.router)
    for router in routers:
        app.include_router(router)
    return app
