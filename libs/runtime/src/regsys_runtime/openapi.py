"""The OpenAPI documents' problem responses: their schema under the media type they are served as, and a check
that every endpoint declares the errors it can answer with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from regsys_runtime.auth import current_principal
from regsys_runtime.problems import PROBLEM_MEDIA_TYPE

UNGUARDED = frozenset({"/healthz", "/readyz", "/.well-known/jwks.json"})
JSON = "application/json"


def problem_schemas_in_place(document: dict[str, Any]) -> dict[str, Any]:
    """FastAPI writes a declared response's model under application/json; problems are served as
    application/problem+json, so the schema moves there (and a client or a fuzzer checks error bodies against it)."""
    for operation in (op for path in document.get("paths", {}).values() for op in path.values()):
        for answer in operation.get("responses", {}).values():
            content = answer.get("content", {})
            if PROBLEM_MEDIA_TYPE in content and content.get(JSON, {}).get("schema", {}).get("$ref", "").endswith(
                "/ProblemBody"
            ):
                content[PROBLEM_MEDIA_TYPE] = content.pop(JSON)
    return document


def with_problem_schemas_in_place(app: FastAPI) -> None:
    """Make `app.openapi()` give its document with the problem schemas where they are served."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problem_schemas_in_place(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _expected(route: APIRoute | RouteContext) -> set[str]:
    expected = set()
    calls = list(_calls(route.dependant))
    if current_principal in calls:
        expected.add("401")
    if any(getattr(call, "__qualname__", "").startswith("require_role.") for call in calls):
        expected.add("403")
    if route.dependant.body_params or route.dependant.query_params or route.dependant.path_params:
        expected.add("422")
    return expected


def _documented(path: str) -> str:
    """A route's path as its document writes it: `{credential:path}` is `{credential}` there."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path)


def undeclared_errors(app: FastAPI) -> list[str]:
    """`METHOD path: missing 4xx` for each endpoint whose declared problem responses lack an error it can give."""
    missing = []
    schema = app.openapi()["paths"]
    # the routes as the app serves them: FastAPI keeps an included router's routes behind the router, with its
    # prefix and dependencies, so `app.routes` alone holds none of them
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or route.path in UNGUARDED or not route.include_in_schema:
            continue
        path = _documented(route.path or "")
        for method in route.methods or ():
            responses = schema[path][method.lower()]["responses"]
            # FastAPI adds a plain 422 by itself; only a problem document counts as declared
            declared = {code for code, answer in responses.items() if PROBLEM_MEDIA_TYPE in answer.get("content", {})}
            lacking = _expected(route) - declared
            if not lacking and not any(code.startswith("4") for code in declared):
                lacking.add("any 4xx")
            if lacking:
                missing.append(f"{method} {route.path}: missing {', '.join(sorted(lacking))}")
    return sorted(missing)
