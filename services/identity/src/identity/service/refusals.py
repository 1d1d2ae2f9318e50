"""How identity's refusals read to a person: the domain's and the adapters' reasons as `regsys_runtime.errors`.

The API's problem handlers turn each into its response (status, code, detail, field errors, Retry-After).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from identity.adapters.throttle import Locked
from identity.domain.accounts import ACCOUNT_DISABLED
from identity.domain.codes import CodeRejected
from identity.domain.rules import RuleViolation
from regsys_runtime.errors import (
    Conflict,
    Forbidden,
    InvalidField,
    InvalidFields,
    Message,
    NotFound,
    TooManyAttempts,
)

NAMES = {
    "account": Message("account", zh="账户"),
    "physician account": Message("physician account", zh="医师账户"),
}


def invalid(*violations: RuleViolation) -> InvalidFields:
    """Each broken rule beside its field."""
    return InvalidFields({v.field: v.message for v in violations})


def not_found(what: str) -> NotFound:
    name = NAMES.get(what, Message(what, zh=what))
    return NotFound(Message(f"No such {name}.", zh=f"没有这个{name.zh}。"))


def code_refused(rejected: CodeRejected, *, field: str = "code") -> InvalidFields | TooManyAttempts:
    """Too soon or too many: try again after a while. A wrong or spent code: said beside the code field."""
    if rejected.retry_after is not None:
        return TooManyAttempts(rejected.problem, rejected.message, retry_after=rejected.retry_after)
    return InvalidField(field, rejected.message)


LOCKED = {
    "login": Message(
        "Too many wrong passwords: this account is locked for about {} min. Try later or reset it.",
        zh="密码错误次数过多，此账户已锁定约 {} 分钟。请稍后再试，或找回密码。",
    ),
    "captchas": Message(
        "Too many captcha pictures asked for from your network; try again in about {} min.",
        zh="您所在网络请求图形验证码过于频繁，请约 {} 分钟后再试。",
    ),
}
LOCKED_ANY = Message("Too many wrong attempts; try again in about {} min.", zh="错误次数过多，请约 {} 分钟后再试。")
CAPTCHA_WRONG = Message(
    "The characters do not match the picture, or it expired; try a new picture.",
    zh="输入的字符与图片不符，或图片已过期，请换一张图片再试。",
)
CAPTCHA_NEEDED = Message(
    "Many sign-ins failed from your network: enter the characters of the picture to sign in.",
    zh="您所在网络登录失败次数较多，请输入图片中的字符后再登录。",
)


def locked_out(locked: Locked) -> TooManyAttempts:
    minutes = max(1, round(locked.retry_after / 60))
    detail = LOCKED.get(locked.scope, LOCKED_ANY).format(minutes)
    code = "captchas-limited" if locked.scope == "captchas" else f"{locked.scope}-locked"
    return TooManyAttempts(code, detail, retry_after=locked.retry_after)


def wrong_captcha() -> InvalidFields:
    return InvalidFields({"captcha_answer": CAPTCHA_WRONG})


def captcha_required() -> InvalidFields:
    """Not a lock: the sign-in goes on once a person reads the picture."""
    return InvalidFields({"captcha_answer": CAPTCHA_NEEDED}, code="captcha-required", detail=CAPTCHA_NEEDED)


def account_disabled() -> Forbidden:
    return Forbidden("account-disabled", ACCOUNT_DISABLED)


PHONE_TAKEN = Message(
    "This phone number is verified on another account; use another number, or recover that account's password.",
    zh="该手机号已在另一个账户上完成验证，请换一个手机号，或找回那个账户的密码。",
)


class PhoneTaken(Conflict):
    """The phone is proven on another account that is not disabled; said beside the phone field."""

    def __init__(self) -> None:
        super().__init__("phone-taken", PHONE_TAKEN, fields={"phone": PHONE_TAKEN})


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
