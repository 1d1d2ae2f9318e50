"""Bulk import of the qualification registry through the operator's command, against the real database."""

import csv
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import pytest

from devstack.stack import Stack
from identity.domain.rules import id_check_character
from regsys_runtime.runtime import asyncpg_dsn

from .conftest import Identity, an_id_number

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

HEADER = ["real_name", "id_number", "certificate_code", "category", "qualified_on"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def run_import(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "identity", "import-qualifications", *args],
        env=stack.env(), capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip


async def test_a_csv_with_a_bad_row_changes_nothing_unless_told_to_skip(
    identity: Identity, prepared_stack: Stack, tmp_path: Path, login
):
    good, tcm = an_id_number(), an_id_number()
    path = write_csv(
        tmp_path / "registry.csv",
        [
            ["欧阳·明", good, "Q2020110000001", "临床", "2020-08-01"],
            ["欧阳·明", tcm, "ZC2021000001", "中医(专长)", ""],
            ["Li Ming", an_id_number(), "Q1", "临床", ""],
            ["欧阳·明", "110105199001011230", "Q2", "临床", ""],
            ["欧阳·明", an_id_number(), "Q3", "牙科", ""],
        ],
    )
    refused = run_import(prepared_stack, str(path))
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "line 4: 姓名：" in refused.stderr and "line 5: 身份证号：" in refused.stderr
    assert "line 6: 资格类别：" in refused.stderr
    assert "nothing imported" in refused.stdout

    person = await identity.register(login, id_number=good)
    await identity.sign_in(person)
    still_missing = (await identity.http.post("/me/qualification-check", headers=identity.as_(person.token))).json()
    assert still_missing["status"] == "unverified"

    imported = run_import(prepared_stack, str(path), "--skip-invalid")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "Imported 2 rows; 3 rejected." in imported.stdout
    found = (await identity.http.post("/me/qualification-check", headers=identity.as_(person.token))).json()
    assert found["status"] == "verified" and found["category"] == "clinical"

    specialist = await identity.register(login + "t", id_number=tcm)
    await identity.sign_in(specialist)
    checked = (await identity.http.post("/me/qualification-check", headers=identity.as_(specialist.token))).json()
    assert checked["category"] == "tcm_specialty"


async def test_a_file_without_the_expected_header_is_refused(prepared_stack: Stack, tmp_path: Path):
    path = tmp_path / "wrong.csv"
    path.write_text("name,id\n欧阳·明,110105199001011234\n", encoding="utf-8")
    result = run_import(prepared_stack, str(path))
    assert result.returncode == 2
    assert "缺少的列：姓名、身份证号、资格证书编码、资格类别" in result.stderr


ROWS = 100_000
HEADER_ZH = ["姓名", "身份证号", "资格证书编码", "资格类别", "取得资格日期"]


def spoiled(n: int, row: list[str]) -> tuple[list[str], str] | None:
    """Every 9,973rd row broken in one of three ways, and the start of the reason the import must give for it."""
    if n % 9_973:
        return None
    kind = (n // 9_973) % 3
    if kind == 0:
        number = row[1][:-1] + ("0" if row[1][-1] != "0" else "1")
        return [row[0], number, *row[2:]], "身份证号："
    if kind == 1:
        return ["Li Ming", *row[1:]], "姓名："
    return [*row[:3], "牙科", row[4]], "资格类别："


def a_distinct_id_number(n: int) -> str:
    first17 = f"110105{date(1960, 1, 1) + timedelta(days=n // 1000):%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_character(first17)


def write_registry(path: Path, rows: int) -> dict[int, str]:
    """A GB18030 file with Chinese headers (as Excel on Chinese Windows saves it); each spoiled row's line."""
    expected: dict[int, str] = {}
    categories = ("临床", "中医", "口腔", "公共卫生", "中医(专长)")
    with path.open("w", encoding="gb18030", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER_ZH)
        for n in range(1, rows + 1):
            row = ["欧阳·明", a_distinct_id_number(n), f"QB{n:012d}", categories[n % 5], "2019-08-01"]
            if bad := spoiled(n, row):
                row, expected[n + 1] = bad
            out.writerow(row)
    return expected


@pytest.mark.timeout(1200)  # three runs of the command on 100,000 rows, on a machine shared with others
async def test_a_100k_gb18030_registry_loads_its_good_rows_and_reports_every_reject(
    identity: Identity, prepared_stack: Stack, tmp_path: Path
):
    path, rejects = tmp_path / "资格.csv", tmp_path / "rejects.csv"
    expected = write_registry(path, ROWS)
    good = ROWS - len(expected)

    started = time.perf_counter()
    dry = run_import(prepared_stack, str(path), "--dry-run", "--rejects", str(rejects))
    dry_seconds = time.perf_counter() - started
    assert dry.returncode == 1, dry.stdout + dry.stderr
    assert f"Would import {good} rows; {len(expected)} rejected." in dry.stdout

    started = time.perf_counter()
    loaded = run_import(prepared_stack, str(path), "--skip-invalid", "--rejects", str(rejects))
    seconds = time.perf_counter() - started
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert f"Imported {good} rows; {len(expected)} rejected." in loaded.stdout
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        reported = {int(line): reason for line, reason in list(csv.reader(handle))[1:]}
    assert reported.keys() == expected.keys()
    for line, reason in expected.items():
        assert reported[line].startswith(reason), (line, reported[line])
    connection = await asyncpg.connect(asyncpg_dsn(prepared_stack.database_url("identity")))
    try:  # the registry holds the good rows, no more
        held = await connection.fetchval(
            "SELECT count(*) FROM identity.qualifications WHERE certificate_code LIKE 'QB%'"
        )
    finally:
        await connection.close()
    assert held == good
    print(f"\nimport-qualifications, {ROWS:,} GB18030 rows: dry run {dry_seconds:.1f} s, load {seconds:.1f} s "
          f"({ROWS / seconds:,.0f} rows/s)")  # fmt: skip
