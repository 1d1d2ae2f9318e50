"""Paging is bounded once, in the shared window (issue 13 item 5): an offset or limit past its bound, 2^63 and
beyond included, is a 422 naming the parameter, never a 500 from the database."""

import httpx
import pytest
from fastapi import FastAPI

from regsys_runtime import paging
from regsys_runtime.app import WindowDep
from regsys_runtime.problems import install_problem_handlers


def an_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/things")
    async def things(window: WindowDep) -> dict[str, int]:
        return {"limit": window.limit, "offset": window.offset}

    return app


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"offset": str(2**63)}, "offset"),
        ({"offset": str(2**64 + 1)}, "offset"),
        ({"offset": str(paging.MAX_OFFSET + 1)}, "offset"),
        ({"offset": "-1"}, "offset"),
        ({"limit": str(paging.MAX_LIMIT + 1)}, "limit"),
        ({"limit": "0"}, "limit"),
    ],
)
async def test_a_window_past_its_bounds_is_a_422_naming_the_parameter(query, field):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=an_app()), base_url="http://svc") as client:
        refused = await client.get("/things", params=query)
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in refused.json()["errors"]] == [field]
        within = await client.get("/things", params={"offset": str(paging.MAX_OFFSET), "limit": "1"})
        assert within.json() == {"limit": 1, "offset": paging.MAX_OFFSET}
