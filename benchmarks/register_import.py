"""How fast the operator's import of the national register (`python -m licensing import-register`) loads an export
of the previous system, beside a ceiling measured in the same run on the same files: a bare COPY of them into
staging tables of text columns (no parsing, no checks, no merge).

The export is generated (repeatably): registrations at a few thousand institutions in every province, most valid,
some filed or deregistered, a tenth with one to three multi-site filings (some ended), each with a history of one to
four entries, and one registration in a thousand that the import must reject (a wrong ID check character; its
filings and history go with it). The institutions are recorded in licensing as its consumer records them
(licensing's own adapter), then the real command runs.

    make bench-register                                              # 1,000,000 registrations
    uv run --frozen python benchmarks/register_import.py --registrations 200000
    uv run --frozen python benchmarks/register_import.py --smoke     # 2,000 (tests/bench)

Uses the machine's Postgres if it answers (else an embedded one) and a fresh database, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from stdnum.cn import ric, uscc

from contracts.id_numbers import is_resident_id_number
from devstack.infra import start_infra
from devstack.stack import Stack, generate_secrets
from licensing.adapters import institutions as licensing_institutions
from licensing.domain.register_import import COLUMNS, HISTORY, MULTI_SITE_FILINGS, REGISTRATIONS
from regsys_runtime.runtime import asyncpg_dsn

SMOKE_REGISTRATIONS = 2_000
PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
             "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65")  # fmt: skip
CATEGORIES = ("临床",) * 6 + ("中医",) * 2 + ("口腔", "公共卫生", "中医(专长)")
SCOPES = ("内科专业", "外科专业", "妇产科专业", "儿科专业", "眼耳鼻咽喉科专业", "精神卫生专业",
          "医学影像和放射治疗专业",
          "中医专业", "口腔专业", "公共卫生类别专业")  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "明华伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀英建国平红玉兰桂珍文斌志宏海波鹏辉"
CHANGES = ("变更注册", "变更注册", "多点执业备案", "取消多点执业备案")
TODAY = date.today()


def credit_code(rng: random.Random, province: str) -> str:
    body = f"12{province}0000" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def a_county(province: str) -> tuple[str, int]:
    """A six-digit region code of the province, and the first year (from 1950) whose births it can stand for
    (python-stdnum's table knows when each county existed: Hainan's codes, for one, begin in 1988)."""
    best: tuple[int, str] | None = None
    for code in (f"{province}{n:04d}" for n in range(101, 9999)):
        if not is_resident_id_number(with_check(f"{code}20001231001")):
            continue
        since = next(y for y in range(1950, 2001) if is_resident_id_number(with_check(f"{code}{y}0101001")))
        if since == 1950:
            return code, since
        best = min(best or (since, code), (since, code))
    assert best, f"no region code of province {province} in python-stdnum's table"
    return best[1], best[0]


def with_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


COUNTIES = {province: a_county(province) for province in PROVINCES}


def id_number(rng: random.Random, province: str, serial: int, wrong: bool) -> str:
    county, since = COUNTIES[province]
    born = date(since, 1, 1) + timedelta(days=rng.randint(0, (date(2000, 12, 31) - date(since, 1, 1)).days))
    first17 = f"{county}{born:%Y%m%d}{serial % 1000:03d}"
    check = ric.calc_check_digit(first17 + "0")
    return first17 + ("0" if check != "0" else "1") if wrong else first17 + check


def a_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


class Export:
    """The generated export's three files, written row by row as each registration is made up."""

    def __init__(self, directory: Path, institutions: int, seed: int = 2026) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - repeatable sample data, not secrets
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.institutions = [(credit_code(self.rng, p), p) for p in (PROVINCES * (institutions // len(PROVINCES) + 1))]
        self.institutions = list(dict(self.institutions).items())[:institutions]
        self.counts = {REGISTRATIONS: 0, MULTI_SITE_FILINGS: 0, HISTORY: 0}
        self.wrong = 0

    def write(self, registrations: int) -> None:
        handles = {kind: (self.directory / f"{kind}.csv").open("w", encoding="utf-8", newline="") for kind in COLUMNS}
        try:
            out = {kind: csv.writer(handle) for kind, handle in handles.items()}
            for kind, writer in out.items():
                writer.writerow(list(COLUMNS[kind]))
            for n in range(registrations):
                self.one(n, out)
        finally:
            for handle in handles.values():
                handle.close()

    def one(self, n: int, out: dict[str, Any]) -> None:
        rng = self.rng
        main, province = rng.choice(self.institutions)
        wrong = n % 997 == 500  # about one in a thousand
        self.wrong += wrong
        registered_on = a_day(rng, date(1999, 5, 1), TODAY - timedelta(days=30))
        status, filed_on, deregistered_on = "有效", "", ""
        fate = rng.random()
        if fate < 0.08:
            status, filed_on = "注册备案", a_day(rng, registered_on, TODAY).isoformat()
        elif fate < 0.12:
            status, deregistered_on = "注销", a_day(rng, registered_on, TODAY).isoformat()
        certificate = f"{province}0{registered_on:%Y}{n:010d}"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        out[REGISTRATIONS].writerow([
            certificate, name, id_number(rng, province, n, wrong), f"Q{n:014d}", rng.choice(CATEGORIES),
            rng.choice(SCOPES), main, registered_on.isoformat(), status, filed_on, deregistered_on,
        ])  # fmt: skip
        self.counts[REGISTRATIONS] += 1
        if rng.random() < 0.1:
            self.multi_sites(certificate, main, registered_on, out[MULTI_SITE_FILINGS])
        self.history(certificate, main, registered_on, out[HISTORY])

    def multi_sites(self, certificate: str, main: str, registered_on: date, out: Any) -> None:
        for _ in range(self.rng.randint(1, 3)):
            site = self.rng.choice(self.institutions)[0]
            if site == main:
                continue
            starts_on = a_day(self.rng, registered_on, TODAY)
            ends_on = starts_on + timedelta(days=self.rng.choice((365, 730, 1095, 1825)))
            ended_on = a_day(self.rng, starts_on, ends_on).isoformat() if self.rng.random() < 0.2 else ""
            out.writerow([certificate, site, starts_on.isoformat(), ends_on.isoformat(), ended_on])
            self.counts[MULTI_SITE_FILINGS] += 1

    def history(self, certificate: str, main: str, registered_on: date, out: Any) -> None:
        first = self.rng.choice(self.institutions)[0]
        out.writerow([certificate, registered_on.isoformat(), "执业注册", first, "有效"])
        day, changes = registered_on, self.rng.sample(CHANGES, self.rng.randint(0, 3))
        for change in changes:
            day = a_day(self.rng, day, TODAY)
            out.writerow([certificate, day.isoformat(), change, main, "有效"])
        self.counts[HISTORY] += 1 + len(changes)


async def record_institutions(database_url: str, codes: list[tuple[str, str]]) -> None:
    """The institutions as licensing's consumer records them from institutions' events (its own adapter)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            session = AsyncSession(bind=connection)
            now = datetime.now(UTC)
            for n, (code, province) in enumerate(codes):
                await licensing_institutions.remember(
                    session, institution_id=uuid.uuid5(uuid.NAMESPACE_URL, code), name=f"第{n + 1}人民医院",
                    region_code=f"{province}0105", credit_code=code, recorded_at=now,
                )  # fmt: skip
            await session.flush()
    finally:
        await engine.dispose()


async def bare_copy(dsn: str, directory: Path) -> tuple[float, dict[str, int]]:
    """The ceiling: each file COPYed as it is into an unlogged table of text columns, in one transaction."""
    connection = await asyncpg.connect(dsn)
    copied: dict[str, int] = {}
    try:
        started = time.perf_counter()
        async with connection.transaction():
            for kind, columns in COLUMNS.items():
                table = f"bench_ceiling_{kind}"
                await connection.execute(f"CREATE UNLOGGED TABLE licensing.{table} "
                                         f"({', '.join(f'{c} text' for c in columns)})")  # fmt: skip
                status = await connection.copy_to_table(
                    table, source=directory / f"{kind}.csv", schema_name="licensing", format="csv", header=True
                )
                copied[kind] = int(status.split()[-1])
                await connection.execute(f"DROP TABLE licensing.{table}")
        return time.perf_counter() - started, copied
    finally:
        await connection.close()


def run_import(stack: Stack, directory: Path, rejects: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "licensing", "import-register", str(directory), "--rejects", str(rejects)],
        env={**stack.env(), "COLUMNS": "100"}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: rows were left out, as the export means some to be
        raise SystemExit(f"the import failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    summary = next((line for line in done.stdout.splitlines() if line.startswith("Read ")), None)
    if summary is None or not rejects.exists():
        said = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        raise SystemExit(f"the import printed no summary (exit status {done.returncode}):\n{said}")
    return elapsed, summary


def table_of(export: Export, elapsed: float, ceiling: float, rejected: int) -> list[list[str]]:
    registrations, rows = export.counts[REGISTRATIONS], sum(export.counts.values())
    note = (f"{registrations:,} registrations, {export.counts[MULTI_SITE_FILINGS]:,} multi-site filings, "
            f"{export.counts[HISTORY]:,} history rows; {rejected:,} rejected; import {elapsed:.1f} s, "
            f"bare COPY {ceiling:.1f} s")  # fmt: skip
    return [
        ["register import, registrations/s", f"{registrations / elapsed:,.0f}", f"{registrations / ceiling:,.0f}",
         f"{ceiling / elapsed:.2f}x", note],
        ["register import, rows/s (all three files)", f"{rows / elapsed:,.0f}", f"{rows / ceiling:,.0f}",
         f"{ceiling / elapsed:.2f}x", "ceiling: a bare COPY of the same files into text columns, same run"],
    ]  # fmt: skip


def render(table: list[list[str]]) -> str:
    head = ["figure", "regsys", "ceiling", "ratio", "what"]
    widths = [max(len(str(r[i])) for r in [head, *table]) for i in range(4)]
    lines = ["regsys register import benchmark", "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=False))]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, [*widths, 0], strict=False)) for row in table]
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--institutions", type=int, default=5_000)
    parser.add_argument("--smoke", action="store_true", help=f"{SMOKE_REGISTRATIONS:,} registrations (tests/bench)")
    parser.add_argument("--json", type=Path, help="also write the table here")
    args = parser.parse_args()
    if args.smoke:
        args.registrations, args.institutions = SMOKE_REGISTRATIONS, 200
    return args


def main() -> None:
    args = arguments()
    with tempfile.TemporaryDirectory(prefix="regsys-bench-register-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        export = Export(workdir / "export", args.institutions)
        export.write(args.registrations)
        size = sum(f.stat().st_size for f in export.directory.glob("*.csv")) / 1e6
        print(f"wrote the export ({export.counts}, {size:,.0f} MB) in {time.perf_counter() - started:.1f} s",
              flush=True)  # fmt: skip
        infra = start_infra(workdir)
        stack = Stack(infra=infra, database=f"regsys_bench_{uuid.uuid4().hex[:8]}", workdir=workdir,
                      secrets=generate_secrets())  # fmt: skip
        try:
            started = time.perf_counter()
            stack.prepare()
            print(f"prepared a fresh database in {time.perf_counter() - started:.1f} s", flush=True)
            asyncio.run(record_institutions(stack.database_url("licensing"), export.institutions))
            dsn = asyncpg_dsn(stack.database_url("licensing"))
            ceiling, copied = asyncio.run(bare_copy(dsn, export.directory))
            assert copied == export.counts, (copied, export.counts)
            elapsed, summary = run_import(stack, export.directory, workdir / "rejects.csv")
            with (workdir / "rejects.csv").open(encoding="utf-8-sig", newline="") as handle:
                left_out = [row["file"] for row in csv.DictReader(handle)]
            rejected = len(left_out)
        finally:
            stack.drop()
            infra.stop()
    print(summary)
    table = table_of(export, elapsed, ceiling, rejected)
    print(render(table), flush=True)
    if args.json:
        raw = {"table": table, "counts": export.counts, "wrong_id_numbers": export.wrong, "rejected": rejected,
               "rejected_registrations": left_out.count(f"{REGISTRATIONS}.csv")}  # fmt: skip
        args.json.write_text(json.dumps(raw, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
