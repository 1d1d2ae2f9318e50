"""Administrative division codes (GB/T 2260): an institution's region is one of them.

The list is data shipped with the service (`data/gbt2260.csv`, its source and date in `data/README.md`),
read once; a province, a prefecture or a county-level division may be a region.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from importlib.resources import files

from regsys_runtime.errors import InvalidField, Message


class UnknownRegion(InvalidField):
    def __init__(self) -> None:
        super().__init__(
            "region_code",
            Message(
                "Enter an administrative division code (GB/T 2260), such as 110105 for 北京市朝阳区.",
                zh="请输入行政区划代码（GB/T 2260），例如北京市朝阳区为 110105。",
            ),
            code="unknown-region",
            detail=Message("This is not an administrative division code.", zh="这不是行政区划代码。"),
        )


@cache
def divisions() -> Mapping[str, str]:
    """Every division code and its name."""
    text = files("institutions.domain").joinpath("data", "gbt2260.csv").read_text(encoding="utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def checked_region_code(code: str) -> str:
    if code not in divisions():
        raise UnknownRegion()
    return code
