"""Every request leaves a JSON access line and metrics by route template, never by raw path."""

import json
import logging

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from prometheus_client import generate_latest

from regsys_runtime.app import CorrelationMiddleware
from regsys_runtime.http_telemetry import HttpTelemetry
from regsys_runtime.logs import CORRELATION_HEADER, JsonFormatter
from regsys_runtime.metrics import Metrics


def observed_app(metrics: Metrics) -> FastAPI:
    app = FastAPI()
    app.add_middleware(HttpTelemetry, metrics=metrics)
    app.add_middleware(CorrelationMiddleware)

    @app.get("/applications/{application_id}")
    async def one(application_id: str) -> dict[str, str]:
        if application_id == "missing":
            raise HTTPException(404)
        return {"id": application_id}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    return app


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, {"service": "demo", **labels})
    return value or 0.0


async def test_requests_are_counted_by_route_template_method_and_status():
    metrics = Metrics("demo")
    transport = httpx.ASGITransport(app=observed_app(metrics), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for application_id in ("a1", "b2", "c3", "missing"):
            await client.get(f"/applications/{application_id}")
        await client.get("/no/such/path/4711")
        await client.get("/boom")
    route = "/applications/{application_id}"
    assert sample(metrics, "regsys_http_requests_total", method="GET", route=route, status="200") == 3
    assert sample(metrics, "regsys_http_requests_total", method="GET", route=route, status="404") == 1
    assert sample(metrics, "regsys_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert sample(metrics, "regsys_http_requests_total", method="GET", route="/boom", status="500") == 1
    assert sample(metrics, "regsys_http_request_duration_seconds_count", method="GET", route=route) == 4
    exposed = generate_latest(metrics.registry).decode()
    assert "a1" not in exposed and "4711" not in exposed


async def test_the_access_line_is_json_with_method_route_status_duration_and_correlation_id(
    caplog: pytest.LogCaptureFixture,
):
    metrics = Metrics("demo")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=observed_app(metrics)), base_url="http://t") as c:
        with caplog.at_level(logging.INFO, logger="regsys.access"):
            await c.get("/applications/x9", headers={CORRELATION_HEADER: "corr-access-1"})
    [record] = [r for r in caplog.records if r.name == "regsys.access"]
    line = json.loads(JsonFormatter("demo").format(record))
    assert line["method"] == "GET"
    assert line["route"] == "/applications/{application_id}"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["correlation_id"] == "corr-access-1"
    assert "\x1b" not in json.dumps(line)
