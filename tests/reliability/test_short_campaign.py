"""The short reliability campaign of issue 18, as CI runs it: journeys of every application type with races, under a
few faults of each kind, and every goal met (reliability/campaign.py; `make campaign` runs the long one)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
# what fits in about six minutes on a two-core machine (see reliability/RESULTS.md: a few hundred journeys do not;
# a loaded machine finishes a dozen or two in this time), with every fault kind once or twice
SHORT = ["--journeys", "40", "--concurrency", "8", "--minutes", "3", "--fault-every", "4", "--outage", "5"]
KINDS = ("kill", "broker", "database", "replica", "replay", "poison")


@pytest.mark.timeout(900)
def test_short_campaign_meets_every_goal(tmp_path: Path):
    env = {**os.environ, "REGSYS_TEST_INFRA": "local"}
    env.pop("REGSYS_KAFKA_BOOTSTRAP", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "reliability" / "campaign.py"), *SHORT, "--workdir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=840, check=False,
    )  # fmt: skip
    table = done.stdout[-8000:] + done.stderr[-3000:]
    assert done.returncode == 0, table
    assert "MISSED" not in done.stdout, table
    for kind in KINDS:
        assert f"fault {kind}:" in done.stdout, f"no {kind} fault in the run:\n{table}"
