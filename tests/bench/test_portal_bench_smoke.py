"""`make bench-portal` cannot rot: its smoke run prints every row (Lighthouse's scores on the three pages, the first
page's JavaScript) with a number and a ratio.

The scores themselves are not asserted here (the machine running the suite may be loaded); only that each was
measured. No Chromium is a failure, not a skip: `make test` installs it (`make browser`).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[2]
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
    out = tmp_path / "portal.json"
    env = {**os.environ, "REGSYS_TEST_INFRA": os.environ.get("REGSYS_TEST_INFRA", "local")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "portal.py"), "--smoke", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=540, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = json.loads(out.read_text())["table"]
    for page, figure in ROWS:
        matching = [r for r in rows if r[0].startswith(page) and r[1] == figure]
        assert matching, f"no row {page!r} {figure!r} in {[r[:2] for r in rows]}"
        _, _, value, ceiling, ratio = matching[0]
        assert NUMBER.match(value), (page, figure, value)
        assert CEILING.match(ceiling), (page, figure, ceiling)
        assert RATIO.match(ratio), (page, figure, ratio)
    assert "regsys portal benchmark" in done.stdout and "ratio" in done.stdout  # the table was printed
