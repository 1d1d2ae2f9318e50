import httpx
from fastapi import FastAPI

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
