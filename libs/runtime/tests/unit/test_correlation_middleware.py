import httpx
from fastapi import FastAPI, Response

from regsys_runtime.app import CorrelationMiddleware
from regsys_runtime.logs import CORRELATION_HEADER, current_correlation_id


def app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(CorrelationMiddleware)

    @app.get("/seen")
    async def seen() -> dict[str, str | None]:
        return {"correlation_id": current_correlation_id()}

    return app


async def test_the_callers_correlation_id_is_used_and_comes_back():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t") as client:
        response = await client.get("/seen", headers={CORRELATION_HEADER: "corr-7"})
    assert response.headers[CORRELATION_HEADER] == "corr-7"
    assert response.json() == {"correlation_id": "corr-7"}


async def test_a_request_without_one_gets_a_new_one_each_time():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t") as client:
        first, second = await client.get("/seen"), await client.get("/seen")
    assert first.headers[CORRELATION_HEADER] == first.json()["correlation_id"]
    assert first.headers[CORRELATION_HEADER] != second.headers[CORRELATION_HEADER]
    assert len(first.headers[CORRELATION_HEADER]) == 32


async def test_every_answer_is_kept_from_caches_and_sniffing_unless_a_route_says_otherwise():
    app = FastAPI()
    app.add_middleware(CorrelationMiddleware)

    @app.get("/me")
    async def me() -> dict[str, str]:
        return {"name": "张三"}

    @app.get("/status-list")
    async def status_list(response: Response) -> dict[str, str]:
        response.headers["Cache-Control"] = "public, max-age=60"
        return {}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        me_answer, listed = await client.get("/me"), await client.get("/status-list")
    assert me_answer.headers["cache-control"] == "no-store"
    assert me_answer.headers["x-content-type-options"] == "nosniff"
    assert listed.headers["cache-control"] == "public, max-age=60"
