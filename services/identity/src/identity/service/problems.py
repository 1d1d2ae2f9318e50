"""How identity's refusals read to a person: each maps a domain refusal to a problem response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from identity.adapters.throttle import Locked
from identity.domain.codes import CodeRejected
from identity.domain.rules import RuleViolation
from regsys_runtime.problems import Problem, invalid_fields


def field_problem(*violations: RuleViolation) -> Problem:
    return invalid_fields(*((v.field, v.message) for v in violations))


def not_found(what: str) -> Problem:
    return Problem(404, "not-found", f"No such {what}.")


def code_problem(rejected: CodeRejected, *, field: str = "code") -> Problem:
    """Too soon or too many: 429 with Retry-After. A wrong or spent code: 422 beside the code field."""
    if rejected.retry_after is not None:
        return Problem(429, rejected.problem, rejected.message, headers={"Retry-After": str(rejected.retry_after)})
    return invalid_fields((field, rejected.message), detail=rejected.message)


def locked_problem(locked: Locked) -> Problem:
    minutes = max(1, round(locked.retry_after / 60))
    detail = {
        "login": f"Too many wrong passwords: this account is locked for about {minutes} min. Try later or reset it.",
        "address": f"Too many failed sign-ins from your network; try again in about {minutes} min.",
    }.get(locked.scope, f"Too many wrong attempts; try again in about {minutes} min.")
    return Problem(429, f"{locked.scope}-locked", detail, headers={"Retry-After": str(locked.retry_after)})


def captcha_problem() -> Problem:
    return invalid_fields(
        ("captcha_answer", "The characters do not match the picture, or it expired; try a new picture.")
    )


def all_valid(**rules: Callable[[], Any]) -> dict[str, Any]:
    """Apply every rule and report all violations together, so a form marks each bad field at once."""
    values, violations = {}, []
    for name, rule in rules.items():
        try:
            values[name] = rule()
        except RuleViolation as violation:
            violations.append(violation)
    if violations:
        raise field_problem(*violations)
    return values
