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
from regsys_runtime.logs import current_correlation_id

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://regsys.example/problems/"


class FieldError(BaseModel):
    field: str
    message: str


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
        body = ProblemBody(
            type=PROBLEM_TYPE_BASE + self.code,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            correlation_id=current_correlation_id(),
            errors=self.errors,
            **self.extra,
        )
        return body.model_dump(exclude_none=True)


def invalid_fields(*fields: tuple[str, str], detail: str = "Please correct the marked fields.") -> Problem:
    """A 422 naming each bad field with a message a person can act on beside it."""
    return Problem(422, "invalid-fields", detail, errors=[FieldError(field=f, message=m) for f, m in fields])


STATUS_OF: dict[type[errors.DomainError], int] = {
    errors.InvalidFields: 422,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Forbidden: 403,
    errors.Unauthenticated: 401,
    errors.Gone: 410,
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
        errors=[FieldError(field=f, message=m) for f, m in fields.items()] if fields else None,
        headers=headers,
        **error.extra,
    )


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers,
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
    fields = [FieldError(field=_field_path(tuple(e["loc"])), message=str(e["msg"])) for e in exc.errors()]
    detail = f"Please correct: {', '.join(f.field for f in fields)}."
    problem = Problem(422, "invalid-request", detail, title="The request has invalid fields", errors=fields)
    return problem_response(problem, request)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):
        raise TypeError(exc)
    code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    return problem_response(Problem(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {})), request)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    detail = "Something went wrong on our side; quote the correlation id if you contact support."
    return problem_response(Problem(500, "internal-error", detail), request)


def install_problem_handlers(app: FastAPI) -> None:
    """Every error leaves the service as a problem document: refusals, invalid requests, HTTP errors, crashes."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(errors.DomainError, _on_refusal)
    app.add_exception_handler(RequestValidationError, _on_invalid_request)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
