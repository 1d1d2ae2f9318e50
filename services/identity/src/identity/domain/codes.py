"""One-time codes: what limits each kind of code, and how a refusal reads. No I/O."""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeLimits:
    ttl_seconds: int
    max_wrong_tries: int = 5
    resend_after_seconds: int = 60
    per_destination_daily: int | None = None
    per_address_daily: int | None = None


class CodeRejected(Exception):
    """A code was not sent or not accepted; `problem` names why, `retry_after` says when to try again."""

    def __init__(self, problem: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.problem, self.message, self.retry_after = problem, message, retry_after


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def wrong_code(tries_left: int) -> CodeRejected:
    if tries_left <= 0:
        return CodeRejected("code-exhausted", "The code was wrong too many times and is void; ask for a new one.")
    return CodeRejected("code-wrong", f"The code is wrong; {tries_left} more tries before it is void.")


NO_CODE = CodeRejected("code-expired", "There is no valid code for this; it expired or was used. Ask for a new one.")
