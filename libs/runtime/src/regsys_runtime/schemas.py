"""The base of every request and response schema: text that a person or Postgres could not read is refused.

A NUL byte or another control character in any text field is a 422 naming the field, decided here once
rather than per field (Postgres cannot store a NUL in text; the rest has no business in a name or a reason).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, field_validator

from regsys_runtime.errors import Message

CONTROL_REFUSED = Message(
    "Remove the control characters (such as a NUL byte) from this text.", zh="请删除文字中的控制字符（如空字符）。"
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, line feed and return may stay


def refuse_control_characters(value: Any) -> Any:
    """`value` unchanged, if no string inside it holds a control character; else a ValueError."""
    if isinstance(value, str):
        if CONTROL_CHARACTERS.search(value):
            raise ValueError(CONTROL_REFUSED)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            refuse_control_characters(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_control_characters(key)
            refuse_control_characters(item)
    return value


Text = Annotated[str, AfterValidator(refuse_control_characters)]  # a query or path parameter of free text


class Schema(BaseModel):
    """Every API model's base."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return refuse_control_characters(value)
