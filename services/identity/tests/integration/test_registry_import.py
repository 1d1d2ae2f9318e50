"""Bulk import of the qualification registry through the operator's command, against the real database."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from devstack.stack import Stack

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
        env=stack.env(), capture_output=True, text=True, check=False, timeout=120,
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
