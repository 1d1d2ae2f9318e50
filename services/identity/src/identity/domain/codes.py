"""One-time codes: what limits each kind of code, and how a refusal reads. No I/O."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from regsys_runtime.errors import Message


@dataclass(frozen=True)
class CodeLimits:
    ttl_seconds: int
    max_wrong_tries: int = 5
    resend_after_seconds: int = 60
    per_destination_daily: int | None = None
    per_address_hourly: int | None = None
    # the windows of those two caps, one after another from the Unix epoch: UTC days and clock hours by default
    per_destination_window_seconds: int = 86_400
    per_address_window_seconds: int = 3600


class CodeRejected(Exception):
    """A code was not sent or not accepted; `problem` names why, `retry_after` says when to try again."""

    def __init__(self, problem: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.problem, self.message, self.retry_after = problem, message, retry_after


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def wrong_code(tries_left: int) -> CodeRejected:
    if tries_left <= 0:
        return CodeRejected(
            "code-exhausted",
            Message(
                "The code was wrong too many times and is void; ask for a new one.",
                zh="验证码错误次数过多，已作废，请重新获取。",
            ),
        )
    return CodeRejected(
        "code-wrong",
        Message(
            f"The code is wrong; {tries_left} more tries before it is void.",
            zh=f"验证码不正确；再错 {tries_left} 次将作废。",
        ),
    )


def resend_too_soon(wait: int) -> CodeRejected:
    return CodeRejected(
        "code-resend-too-soon",
        Message(
            f"A code was sent moments ago; ask again in {wait} seconds.", zh=f"验证码刚刚已发送，请 {wait} 秒后再获取。"
        ),
        retry_after=wait,
    )


def destination_daily_limit(retry_after: int) -> CodeRejected:
    return CodeRejected(
        "code-daily-limit",
        Message(
            "No more codes can be sent to this phone or e-mail today; try again tomorrow.",
            zh="今天向该手机号或邮箱发送的验证码已达上限，请明天再试。",
        ),
        retry_after=retry_after,
    )


def address_hourly_limit(retry_after: int) -> CodeRejected:
    minutes = max(1, round(retry_after / 60))
    return CodeRejected(
        "code-address-limit",
        Message(
            f"Many codes were asked for from your network this hour; try again in about {minutes} min.",
            zh=f"您所在网络本小时获取验证码的次数较多，请约 {minutes} 分钟后再试。",
        ),
        retry_after=retry_after,
    )


NO_CODE = CodeRejected(
    "code-expired",
    Message(
        "There is no valid code for this; it expired or was used. Ask for a new one.",
        zh="没有有效的验证码：它已过期或已被使用，请重新获取。",
    ),
)
