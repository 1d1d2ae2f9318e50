"""`make bench-register` cannot rot: its smoke run loads a small generated export through `import-register` and
prints both rows with a number, the bare-COPY ceiling and a ratio.

Speed is not asserted (the machine running the suite may be loaded); that the import took every good row and left
out exactly the rows spoiled on purpose is.
"""

import json
import re
from pathlib import Path

import pytest
from bench.smoke import smoke_run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

ROWS = ("register import, registrations/s", "register import, rows/s (all three files)")
NUMBER = re.compile(r"^\d[\d,]*$")
RATIO = re.compile(r"^\d+\.\d\dx$")


def test_the_register_smoke_run_prints_both_rows_with_a_number_and_a_ratio(tmp_path: Path) -> None:
    rows, printed = smoke_run("register_import.py", tmp_path / "register.json")
    assert [r[0] for r in rows] == list(ROWS)
    for _, figure, ceiling, ratio, _ in rows:
        assert NUMBER.match(figure) and NUMBER.match(ceiling) and figure != "0", (figure, ceiling)
        assert RATIO.match(ratio), ratio
    raw = json.loads((tmp_path / "register.json").read_text())
    assert raw["counts"]["registrations"] == 2_000 and raw["counts"]["history"] > 2_000
    assert raw["rejected_registrations"] == raw["wrong_id_numbers"] > 0, raw  # exactly the spoiled ones left out
    assert "regsys register import benchmark" in printed
    assert f"imported {2_000 - raw['wrong_id_numbers']:,} registrations" in printed
