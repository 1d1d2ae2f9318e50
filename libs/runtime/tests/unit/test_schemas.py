"""Text with control characters is refused in every field of every API model, with the field named."""

import pytest
from pydantic import Field, ValidationError

from regsys_runtime.schemas import Schema


class InstitutionCreate(Schema):
    name: str
    aliases: list[str] = Field(default_factory=list)
    details: dict[str, str] = Field(default_factory=dict)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "协和\x00医院"},
        {"name": "ok", "aliases": ["a", "b\x1b[31m"]},
        {"name": "ok", "details": {"note": "\x7f"}},
    ],
)
def test_a_control_character_anywhere_is_refused_naming_the_field(body):
    with pytest.raises(ValidationError) as refused:
        InstitutionCreate.model_validate(body)
    (error,) = refused.value.errors()
    assert error["loc"][0] in body
    assert "control characters" in error["msg"]


def test_ordinary_text_with_line_breaks_passes():
    model = InstitutionCreate.model_validate({"name": "北京协和医院", "details": {"note": "第一行\n第二行\t完"}})
    assert model.details["note"] == "第一行\n第二行\t完"
