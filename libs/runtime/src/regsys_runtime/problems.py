"""RFC 9457 problem details: every error a client sees has a type, a title, a status and a detail."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from regsys_runtime import errors
from regsys_runtime.errors import LANGUAGE, Message, said
from regsys_runtime.logs import current_correlation_id
from regsys_runtime.validation import field_message

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://regsys.example/problems/"


class FieldError(BaseModel):
    field: str
    message: str

    @classmethod
    def of(cls, field: str, message: str) -> FieldError:
        """A field error keeping both languages of `message` until the body is rendered."""
        return cls.model_construct(field=field, message=message)


class ProblemBody(BaseModel):
    """The body of an error response (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    correlation_id: str | None = None
    errors: list[FieldError] | None = None


class Problem(Exception):
    """An error to show the client. Domain errors become Problems at the edge of the API."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.title = title or code.replace("-", " ").capitalize()
        self.errors, self.headers, self.extra = errors, headers, extra

    def body(self, instance: str | None = None) -> dict[str, Any]:
        """The problem document, in the caller's language where its words have one."""
        fields = [FieldError(field=e.field, message=said(e.message)) for e in self.errors] if self.errors else None
        body = ProblemBody(
            type=PROBLEM_TYPE_BASE + self.code,
            title=said(self.title),
            status=self.status,
            detail=said(self.detail),
            instance=instance,
            correlation_id=current_correlation_id(),
            errors=fields,
            **{k: said(v) if isinstance(v, str) else v for k, v in self.extra.items()},
        )
        return body.model_dump(exclude_none=True)


def invalid_fields(*fields: tuple[str, str], detail: str = errors.FIELDS_TO_CORRECT) -> Problem:
    """A 422 naming each bad field with a message a person can act on beside it."""
    return Problem(422, "invalid-fields", detail, errors=[FieldError.of(f, m) for f, m in fields])


STATUS_OF: dict[type[errors.DomainError], int] = {
    errors.InvalidFields: 422,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Forbidden: 403,
    errors.Unauthenticated: 401,
    errors.Gone: 410,
    errors.TooLarge: 413,
    errors.TooManyAttempts: 429,
    errors.Unavailable: 503,
}


def problem_of(error: errors.DomainError) -> Problem:
    """The one translation of a refusal below the API into the problem a client sees."""
    status = next((s for kind, s in STATUS_OF.items() if isinstance(error, kind)), 400)
    fields = getattr(error, "fields", None)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, errors.TooManyAttempts) else None
    return Problem(
        status,
        error.code,
        error.detail,
        errors=[FieldError.of(f, m) for f, m in fields.items()] if fields else None,
        headers=headers,
        **error.extra,
    )


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    headers = {**(problem.headers or {}), "Content-Language": LANGUAGE.get(), "Vary": "Accept-Language"}
    return JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries declaring the problem responses an endpoint may give."""
    return {status: {"model": ProblemBody, "content": {PROBLEM_MEDIA_TYPE: {}}} for status in statuses}


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")] or [str(p) for p in loc]
    return ".".join(parts)


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, Problem):
        raise TypeError(exc)
    return problem_response(exc, request)


async def _on_refusal(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, errors.DomainError):
        raise TypeError(exc)
    return problem_response(problem_of(exc), request)


async def _on_invalid_request(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):
        raise TypeError(exc)
    fields = [FieldError.of(_field_path(tuple(e["loc"])), field_message(e)) for e in exc.errors()]
    return problem_response(_invalid_request(fields), request)


def _invalid_request(fields: list[FieldError]) -> Problem:
    names = ", ".join(f.field for f in fields)
    detail = Message(f"Please correct: {names}.", zh=f"请更正：{names}。")
    title = Message("The request has invalid fields", zh="请求中有不正确的字段")
    return Problem(422, "invalid-request", detail, title=title, errors=fields)


# FastAPI's 400 for a JSON body it cannot even decode as text (bytes that are not UTF-8)
UNDECODABLE_BODY = "There was an error parsing the body"


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):
        raise TypeError(exc)
    if exc.status_code == 400 and exc.detail == UNDECODABLE_BODY:
        # as unreadable as broken JSON, and answered the same: the 422 every endpoint with a body declares
        unreadable = field_message({"type": "json_invalid", "msg": "JSON decode error"})
        return problem_response(_invalid_request([FieldError.of("body", unreadable)]), request)
    code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    detail = HTTP_DETAILS.get(exc.status_code, str(exc.detail))
    return problem_response(Problem(exc.status_code, code, detail, headers=dict(exc.headers or {})), request)


HTTP_DETAILS = {
    404: Message("Not Found", zh="找不到请求的地址。"),
    405: Message("Method Not Allowed", zh="此地址不接受这种请求方法。"),
}


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    detail = Message(
        "Something went wrong on our side; quote the correlation id if you contact support.",
        zh="系统出现了问题；联系技术支持时请提供关联编号（correlation_id）。",
    )
    return problem_response(Problem(500, "internal-error", detail), request)


def install_problem_handlers(app: FastAPI) -> None:
    """Every error leaves the service as a problem document: refusals, invalid requests, HTTP errors, crashes."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(errors.DomainError, _on_refusal)
    app.add_exception_handler(RequestValidationError, _on_invalid_request)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
