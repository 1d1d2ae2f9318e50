"""`make bench-portal` cannot rot: its smoke run prints every row (Lighthouse's scores on the three pages, the first
page's JavaScript) with a number and a ratio.

The scores themselves are not asserted here (the machine running the suite may be loaded); only that each was
measured. No Chromium is a failure, not a skip: `make test` installs it (`make browser`).
"""

import re
from pathlib import Path

import pytest
from bench.smoke import smoke_run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

ROWS = (
    ("sign-in", "performance"),
    ("sign-in", "accessibility"),
    ("business form", "performance"),
    ("business form", "accessibility"),
    ("/verify", "performance"),
    ("/verify", "accessibility"),
    ("sign-in (the first page)", "JavaScript, gzipped"),
)
NUMBER = re.compile(r"^\d+(\.\d+)?( KB)?$")
CEILING = re.compile(r"^(>=|<=) \d+( KB)?$")
RATIO = re.compile(r"^\d+\.\d\dx$")


def test_the_portal_smoke_run_prints_every_row_with_a_number_and_a_ratio(tmp_path: Path) -> None:
    rows, printed = smoke_run("portal.py", tmp_path / "portal.json")
    for page, figure in ROWS:
        matching = [r for r in rows if r[0].startswith(page) and r[1] == figure]
        assert matching, f"no row {page!r} {figure!r} in {[r[:2] for r in rows]}"
        _, _, value, ceiling, ratio = matching[0]
        assert NUMBER.match(value), (page, figure, value)
        assert CEILING.match(ceiling), (page, figure, ceiling)
        assert RATIO.match(ratio), (page, figure, ratio)
    assert "regsys portal benchmark" in printed and "ratio" in printed  # the table was printed
