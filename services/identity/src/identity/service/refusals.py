"""How identity's refusals read to a person: the domain's and the adapters' reasons as `regsys_runtime.errors`.

The API's problem handlers turn each into its response (status, code, detail, field errors, Retry-After).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from identity.adapters.throttle import Locked
from identity.domain.codes import CodeRejected
from identity.domain.rules import RuleViolation
from regsys_runtime.errors import Conflict, Forbidden, InvalidField, InvalidFields, NotFound, TooManyAttempts


def invalid(*violations: RuleViolation) -> InvalidFields:
    """Each broken rule beside its field."""
    return InvalidFields({v.field: v.message for v in violations})


def not_found(what: str) -> NotFound:
    return NotFound(f"No such {what}.")


def code_refused(rejected: CodeRejected, *, field: str = "code") -> InvalidFields | TooManyAttempts:
    """Too soon or too many: try again after a while. A wrong or spent code: said beside the code field."""
    if rejected.retry_after is not None:
        return TooManyAttempts(rejected.problem, rejected.message, retry_after=rejected.retry_after)
    return InvalidField(field, rejected.message)


def locked_out(locked: Locked) -> TooManyAttempts:
    minutes = max(1, round(locked.retry_after / 60))
    detail = {
        "login": f"Too many wrong passwords: this account is locked for about {minutes} min. Try later or reset it.",
        "address": f"Too many failed sign-ins from your network; try again in about {minutes} min.",
    }.get(locked.scope, f"Too many wrong attempts; try again in about {minutes} min.")
    return TooManyAttempts(f"{locked.scope}-locked", detail, retry_after=locked.retry_after)


def wrong_captcha() -> InvalidFields:
    return InvalidFields(
        {"captcha_answer": "The characters do not match the picture, or it expired; try a new picture."}
    )


def account_disabled() -> Forbidden:
    return Forbidden("account-disabled", "This account is disabled; contact your administrator.")


class AlreadyRegistered(Conflict):
    """The login name or the ID number has an account already, said beside the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__("already-registered", message, fields={field: message})


def all_valid(**rules: Callable[[], Any]) -> dict[str, Any]:
    """Apply every rule and report all violations together, so a form marks each bad field at once."""
    values, violations = {}, []
    for name, rule in rules.items():
        try:
            values[name] = rule()
        except RuleViolation as violation:
            violations.append(violation)
    if violations:
        raise invalid(*violations)
    return values
