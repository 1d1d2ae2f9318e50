"""`make bench` cannot rot: its smoke run prints every row of the table with a number and a ratio.

Speed is not asserted here (the machine running the suite may be loaded); only that each row measured.
"""

import re
from pathlib import Path

import pytest
from bench.smoke import smoke_run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

ROWS = ("1 licence verification", "2 sign-in/s", "2 identity /healthz p99", "3 submissions/s", "4 hand-off",
        "5 initial registrations/s", "6 physician's applications p99", "6 review queue p99", "6 authority queue p99",
        "6 licence verification p99", "7 RSS identity", "7 RSS licensing")  # fmt: skip
NUMBER = re.compile(r"\d+(\.\d+)?")
RATIO = re.compile(r"^\d+\.\d\dx$")


def test_the_smoke_run_prints_every_row_with_a_number_and_a_ratio(tmp_path: Path) -> None:
    rows, printed = smoke_run("bench.py", tmp_path / "bench.json")
    for name in ROWS:
        matching = [r for r in rows if r[0].startswith(name)]
        assert matching, f"no row {name!r} in {[r[0] for r in rows]}"
        _, figure, ceiling, ratio, _ = matching[0]
        assert NUMBER.search(figure) and "nan" not in figure, (name, figure)
        assert NUMBER.search(ceiling) and "nan" not in ceiling, (name, ceiling)
        assert RATIO.match(ratio), (name, ratio)
    assert "regsys" in printed and "ratio" in printed  # the table was printed
