"""One way to build a service's FastAPI app: runtime in the lifespan, problems, health, correlation ids."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.telemetry import TelemetryConfig
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

from regsys_runtime import health, paging, scrape
from regsys_runtime.consumer import Handlers
from regsys_runtime.errors import LANGUAGE, Language, Message
from regsys_runtime.http_telemetry import HttpTelemetry
from regsys_runtime.logs import CORRELATION_HEADER, configure_logging, correlation
from regsys_runtime.openapi import with_problem_schemas_in_place
from regsys_runtime.problems import install_problem_handlers
from regsys_runtime.runtime import Runtime
from regsys_runtime.tracing import configure_tracing

log = logging.getLogger(__name__)

D = TypeVar("D")
T = TypeVar("T")


def _no_handlers(_: Any) -> Handlers:
    return {}


@dataclass(frozen=True)
class Wiring(Generic[D]):
    """How one service is put together once its runtime is open.

    `bootstrap` builds the service's frozen dependencies from the runtime; routes receive them through
    `dependencies`, the event handlers from `handlers`, the start hooks (first keys, workers, jobs) as an argument.
    Tests build the same dependencies, or swap parts of them.
    """

    bootstrap: Callable[[Runtime], D]
    handlers: Callable[[D], Handlers] = _no_handlers
    on_start: Sequence[Callable[[Runtime, D], Awaitable[None]]] = ()


def client_address(request: Request) -> str | None:
    """The caller's address, as audits record it (the gateway's X-Forwarded-For is trusted only from
    FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else None


ClientAddress = Annotated[str | None, Depends(client_address)]


def current_runtime(request: Request) -> Runtime:
    """The runtime of the service answering this request (a FastAPI dependency)."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(current_runtime)]


def negotiate_language(accept_language: str) -> Language:
    """Chinese or English, whichever the caller's Accept-Language prefers; Chinese when it names neither."""
    best: tuple[float, Language] = (0.0, "zh")
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        if language not in ("zh", "en"):
            continue
        q = params.strip().removeprefix("q=")
        try:
            weight = float(q) if params.strip().startswith("q=") else 1.0
        except ValueError:
            weight = 0.0
        if weight > best[0]:
            best = (weight, "zh" if language == "zh" else "en")
    return best[1]


# answers carry personal data and tokens: no cache keeps them unless a route says otherwise; no type sniffing
DEFAULT_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class CorrelationMiddleware:
    """Each request runs under its correlation id (the caller's, or a new one), which goes back in the response,
    with the default headers of every answer.

    Plain ASGI rather than `BaseHTTPMiddleware`, which costs every request a task group and memory streams.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers_in = Headers(scope=scope)
        LANGUAGE.set(negotiate_language(headers_in.get("accept-language", "")))
        with correlation(headers_in.get(CORRELATION_HEADER)) as correlation_id:

            async def send_with_correlation(message: ASGIMessage) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableHeaders(scope=message)
                    headers[CORRELATION_HEADER] = correlation_id
                    for name, value in DEFAULT_HEADERS.items():
                        headers.setdefault(name, value)
                await send(message)

            await self.app(scope, receive, send_with_correlation)


GIVE_ONCE = Message("Give this parameter once.", zh="此参数只能填写一次。")


def _query_names(dependant: Dependant) -> Iterator[str]:
    yield from (p.alias for p in dependant.query_params)
    for sub in dependant.dependencies:
        yield from _query_names(sub)


async def single_valued_query(request: Request) -> None:
    """A query parameter given twice where the route takes it once is a 422 (no route takes a list in the query):
    FastAPI would keep the last value and say nothing, so `?name=a&name=b` searched for `b` alone."""
    given = Counter(name for name, _ in request.query_params.multi_items())
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or all(count == 1 for count in given.values()):
        return
    once = set(_query_names(route.dependant))
    repeated = sorted(name for name, count in given.items() if count > 1 and name in once)
    if repeated:
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("query", name), "msg": f"Value error, {GIVE_ONCE}",
              "input": request.query_params.getlist(name), "ctx": {"error": ValueError(GIVE_ONCE)}}
             for name in repeated]
        )  # fmt: skip


# FastAPI's own spans do not become the current span of the middlewares, nor carry the correlation id:
# the service span is HttpTelemetry's, so FastAPI's tracing stays off and no request is traced twice
FASTAPI_TELEMETRY: TelemetryConfig = {"tracing": False}


def _answering_with_problems(app: FastAPI) -> FastAPI:
    """Every error a problem document, and the documents say so where they are served."""
    install_problem_handlers(app)
    with_problem_schemas_in_place(app)
    return app


def create_service_app(
    runtime: Runtime, wiring: Wiring[D], *, title: str, routers: Sequence[APIRouter] = ()
) -> FastAPI:
    """The FastAPI app of one service: the lifespan opens the runtime, wires the service, starts its consumer."""
    settings = runtime.settings
    configure_logging(settings.service_name, settings.log_level)
    tracing = configure_tracing(settings.service_name)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("starting", extra={"settings": settings.safe_dump(), "tracing": tracing})
        await runtime.start()
        dependencies = wiring.bootstrap(runtime)
        app.state.runtime, app.state.dependencies = runtime, dependencies
        try:
            for hook in wiring.on_start:
                await hook(runtime, dependencies)
            await runtime.consume(wiring.handlers(dependencies))
        except BaseException:
            await runtime.stop()
            raise
        try:
            yield
        finally:
            await runtime.stop()

    app = _answering_with_problems(FastAPI(
        title=title, lifespan=lifespan, telemetry=FASTAPI_TELEMETRY, dependencies=[Depends(single_valued_query)]
    ))  # fmt: skip
    # the last added runs first: the correlation id is set before the access line and the span need it
    app.add_middleware(HttpTelemetry, metrics=runtime.metrics)
    app.add_middleware(CorrelationMiddleware)

    app.include_router(health.router)
    app.include_router(scrape.router)
    for router in routers:
        app.include_router(router)
    return app


TOTAL_HEADER = "X-Total-Count"


def page_window(
    limit: Annotated[int, Query(ge=1, le=paging.MAX_LIMIT, description="How many items at most.")] = 50,
    offset: Annotated[int, Query(ge=0, le=paging.MAX_OFFSET, description="How many items to skip.")] = 0,
) -> paging.Window:
    """The `limit` and `offset` query parameters of a list endpoint (a FastAPI dependency)."""
    return paging.Window(limit=limit, offset=offset)


WindowDep = Annotated[paging.Window, Depends(page_window)]


def items_of(page: paging.Page[T], response: Response) -> list[T]:
    """The page's items as the response body; its total goes in the X-Total-Count header."""
    response.headers[TOTAL_HEADER] = str(page.total)
    return list(page.items)


async def dependencies(request: Request) -> Any:
    """The frozen dependencies the service's bootstrap built (a FastAPI dependency; each service types it).

    Async, so FastAPI calls it on the event loop instead of sending every request through its thread pool."""
    return request.app.state.dependencies
