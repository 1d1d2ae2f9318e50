"""What every HTTP request leaves behind: a JSON access line, its metrics by route template, and its span.

Plain ASGI, like the correlation middleware, which it runs inside of (so the access line and the span carry
the request's correlation id). The route is the template the router matched (`/applications/{application_id}`),
never the raw path, so that one series stands for one endpoint, whatever ids the callers send.
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from regsys_runtime import tracing
from regsys_runtime.logs import current_correlation_id
from regsys_runtime.metrics import UNMATCHED_ROUTE, Metrics

access_log = logging.getLogger("regsys.access")

NOT_COUNTED = frozenset({"/metrics"})  # the scraper's own visits would only measure the scraper
QUIET = frozenset({"/metrics", "/healthz", "/readyz"})  # probes every few seconds: access lines at debug only


def route_of(scope: Scope) -> str:
    """The path template of the route that served the request, or `unmatched`."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class HttpTelemetry:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, started, status = scope["method"], time.perf_counter(), 500
        headers = dict(Headers(scope=scope).items())
        with tracing.server_span(method, headers, current_correlation_id()) as span:

            async def send_observed(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            try:
                await self.app(scope, receive, send_observed)
            finally:  # an exception is answered 500 by the outermost middleware: count it as that
                route = route_of(scope)
                tracing.name_route(span, method, route, status)
                self._record(method, route, status, time.perf_counter() - started)

    def _record(self, method: str, route: str, status: int, seconds: float) -> None:
        if route not in NOT_COUNTED:
            self.metrics.http_requests.labels(self.metrics.service, method, route, str(status)).inc()
            self.metrics.http_duration.labels(self.metrics.service, method, route).observe(seconds)
        level = logging.DEBUG if route in QUIET else logging.INFO
        fields = {"method": method, "route": route, "status": status, "duration_ms": round(seconds * 1000, 2)}
        access_log.log(level, "%s %s %s", method, route, status,
                       extra={**fields, "correlation_id": current_correlation_id()})  # fmt: skip
