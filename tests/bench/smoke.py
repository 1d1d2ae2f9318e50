"""A benchmark's smoke run, as the smoke tests start it: `--smoke --json`, the table it wrote, what it printed."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def smoke_run(script: str, out: Path) -> tuple[list[list[Any]], str]:
    """Run `benchmarks/<script> --smoke` against local processes; its table's rows and its standard output."""
    env = {**os.environ, "REGSYS_TEST_INFRA": os.environ.get("REGSYS_TEST_INFRA", "local")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--smoke", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=540, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise AssertionError(done.stdout[-3000:] + done.stderr[-3000:])
    return json.loads(out.read_text())["table"], done.stdout
