"""Problems speak the caller's language: Chinese unless Accept-Language prefers English."""

import httpx
import pytest
from fastapi import FastAPI
from pydantic import Field

from regsys_runtime.app import CorrelationMiddleware, negotiate_language
from regsys_runtime.errors import Conflict, Message
from regsys_runtime.problems import install_problem_handlers
from regsys_runtime.schemas import Schema


class ReasonCreate(Schema):
    reason: str = Field(min_length=2, max_length=500)
    count: int


def app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(CorrelationMiddleware)

    @app.post("/decisions")
    async def decide(body: ReasonCreate) -> None:
        raise Conflict("already-decided", Message("This task is already approved.", zh="此任务已经审核通过。"))

    return app


async def call(body: dict, language: str | None) -> httpx.Response:
    headers = {"Accept-Language": language} if language else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://svc") as client:
        return await client.post("/decisions", json=body, headers=headers)


@pytest.mark.parametrize(
    ("header", "language"),
    [("", "zh"), ("zh-CN,zh;q=0.9", "zh"), ("en-GB,en;q=0.9", "en"), ("en;q=0.4, zh;q=0.8", "zh"), ("fr", "zh")],
)
def test_the_language_is_chinese_unless_english_is_preferred(header, language):
    assert negotiate_language(header) == language


async def test_a_refusal_reads_in_chinese_by_default_and_in_english_when_asked():
    chinese, english = await call({"reason": "ok", "count": 1}, None), await call({"reason": "ok", "count": 1}, "en")
    assert chinese.json()["detail"] == "此任务已经审核通过。"
    assert chinese.headers["content-language"] == "zh"
    assert english.json()["detail"] == "This task is already approved."
    assert chinese.json()["type"] == english.json()["type"]  # the code a client branches on stays one


async def test_field_errors_of_a_request_read_in_chinese_beside_each_field():
    answer = await call({"reason": "x\x00"}, "zh-CN")
    messages = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert answer.status_code == 422
    assert messages == {"reason": "请删除文字中的控制字符（如空字符）。", "count": "必填。"}
    assert answer.json()["detail"] == "请更正：reason, count。"


async def test_a_too_short_reason_says_how_long_it_must_be():
    answer = await call({"reason": "x", "count": 1}, None)
    assert answer.json()["errors"] == [{"field": "reason", "message": "至少 2 个字符。"}]
