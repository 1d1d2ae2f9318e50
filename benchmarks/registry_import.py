"""How long the operator's bulk import of the qualification registry takes for a million rows.

Run: `make bench-registry` (or `uv run --frozen python benchmarks/registry_import.py --rows 1000000`).
Uses the machine's Postgres if it answers (else an embedded one), a fresh database, and the real command
`python -m identity import-qualifications`. Prints the time, rows per second and the ratio to the ceiling.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from devstack.infra import start_infra
from devstack.stack import Stack, generate_secrets
from identity.domain.rules import id_check_character

CEILING_SECONDS = 300.0  # "a million rows in minutes": five minutes at most
CATEGORIES = ("临床", "中医", "中医(专长)", "口腔", "公共卫生")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "明华伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀英"


def write_registry(path: Path, rows: int) -> None:
    rng = random.Random(2026)  # noqa: S311 - repeatable sample data, not secrets
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["real_name", "id_number", "certificate_code", "category", "qualified_on"])
        for n in range(rows):
            born = f"{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            first17 = f"{rng.randint(110000, 659000)}{born}{n % 1000:03d}"
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            out.writerow(
                [name, first17 + id_check_character(first17), f"Q{n:014d}", rng.choice(CATEGORIES), "2015-07-01"]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="regsys-bench-") as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "registry.csv"
        started = time.perf_counter()
        write_registry(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"wrote {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s")
        infra = start_infra(workdir)
        stack = Stack(
            infra=infra, database=f"regsys_bench_{uuid.uuid4().hex[:8]}", workdir=workdir, secrets=generate_secrets()
        )
        try:
            stack.prepare()
            started = time.perf_counter()
            result = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "identity", "import-qualifications", str(csv_path)],
                env=stack.env(), check=False, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            elapsed = time.perf_counter() - started
            if result.returncode != 0:
                raise SystemExit(f"import failed:\n{result.stderr}")
        finally:
            stack.drop()
            infra.stop()
    print(f"registry import: {args.rows:,} rows in {elapsed:.1f} s = {args.rows / elapsed:,.0f} rows/s")
    print(f"ratio to the ceiling of {CEILING_SECONDS:.0f} s for a million rows: "
          f"{elapsed * (1_000_000 / args.rows) / CEILING_SECONDS:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
