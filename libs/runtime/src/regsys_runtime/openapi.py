"""A check that every endpoint declares, in its OpenAPI entry, the errors it can answer with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from regsys_runtime.auth import current_principal
from regsys_runtime.problems import PROBLEM_MEDIA_TYPE

UNGUARDED = frozenset({"/healthz", "/readyz", "/.well-known/jwks.json"})


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


def undeclared_errors(app: FastAPI) -> list[str]:
    """`METHOD path: missing 4xx` for each endpoint whose declared problem responses lack an error it can give."""
    missing = []
    schema = app.openapi()["paths"]
    # the routes as the app serves them: FastAPI keeps an included router's routes behind the router, with its
    # prefix and dependencies, so `app.routes` alone holds none of them
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or route.path in UNGUARDED or not route.include_in_schema:
            continue
        for method in route.methods or ():
            responses = schema[route.path][method.lower()]["responses"]
            # FastAPI adds a plain 422 by itself; only a problem document counts as declared
            declared = {code for code, answer in responses.items() if PROBLEM_MEDIA_TYPE in answer.get("content", {})}
            lacking = _expected(route) - declared
            if not lacking and not any(code.startswith("4") for code in declared):
                lacking.add("any 4xx")
            if lacking:
                missing.append(f"{method} {route.path}: missing {', '.join(sorted(lacking))}")
    return sorted(missing)
