"""Administrative regions (GB/T 2260): officers of a region decide for every region below it.

A code is six digits: two for the province, two for the prefecture, two for the county or district. A province
(110000) holds its prefectures (110100) and districts (110105); a prefecture holds its districts; a district
holds only itself. Trailing pairs of zeros say at which level a code is, so a region is a prefix of codes.
"""

from __future__ import annotations

import re

CODE = re.compile(r"^(?!00)\d{6}$")


def prefix_of(code: str | None) -> str | None:
    """What every code in the region starts with (110000 -> 11, 110100 -> 1101, 110105 -> 110105); None for
    no region or a code that is none."""
    if code is None or not CODE.match(code):
        return None
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def covers(officer_region: str | None, region_code: str) -> bool:
    """Whether an officer of `officer_region` decides for `region_code` (no region: for nothing)."""
    prefix = prefix_of(officer_region)
    return prefix is not None and region_code.startswith(prefix)
