"""What a field error of a request says to a person, in Chinese and English, from pydantic's error type."""

from __future__ import annotations

from typing import Any

from regsys_runtime.errors import Message

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) a request can cause
CHINESE: dict[str, str] = {
    "missing": "必填。",
    "string_type": "请填写文字。",
    "string_too_short": "至少 {min_length} 个字符。",
    "string_too_long": "最多 {max_length} 个字符。",
    "string_pattern_mismatch": "格式不正确。",
    "int_parsing": "请填写整数。",
    "int_type": "请填写整数。",
    "float_parsing": "请填写数字。",
    "bool_parsing": "请填写 true 或 false。",
    "bool_type": "请填写 true 或 false。",
    "greater_than": "须大于 {gt}。",
    "greater_than_equal": "不能小于 {ge}。",
    "less_than": "须小于 {lt}。",
    "less_than_equal": "不能大于 {le}。",
    "uuid_parsing": "格式不正确（应为 UUID）。",
    "uuid_type": "格式不正确（应为 UUID）。",
    "date_parsing": "请填写日期，格式为 YYYY-MM-DD。",
    "date_from_datetime_parsing": "请填写日期，格式为 YYYY-MM-DD。",
    "datetime_parsing": "请填写时间，格式为 ISO 8601。",
    "enum": "请从以下选项中选择：{expected}。",
    "literal_error": "请从以下选项中选择：{expected}。",
    "json_invalid": "请求内容不是有效的 JSON。",
    "model_attributes_type": "格式不正确。",
    "dict_type": "格式不正确。",
    "list_type": "请填写列表。",
    "too_short": "至少 {min_length} 项。",
    "too_long": "最多 {max_length} 项。",
    "extra_forbidden": "不接受此字段。",
    "value_error": "{error}",
    "assertion_error": "{error}",
}


def field_message(error: Any) -> Message:
    """The message beside a field: pydantic's English, and the Chinese of its error type."""
    english = str(error["msg"])
    raw = error.get("ctx") or {}
    template = CHINESE.get(str(error["type"]))
    if template is None:
        return Message(english, zh=english)
    if error["type"] in ("value_error", "assertion_error"):  # our own validators' words, bilingual if they are
        own = english.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        cause = raw.get("error")
        words = cause.args[0] if isinstance(cause, Exception) and cause.args else own
        return Message(english, zh=getattr(words, "zh", own))
    context = {k: _plain(v) for k, v in raw.items()}
    try:
        return Message(english, zh=template.format(**context))
    except (KeyError, IndexError):
        return Message(english, zh=english)


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float) or hasattr(value, "zh") else str(value)
