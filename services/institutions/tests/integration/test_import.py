"""The operator's import of institutions from CSV (issue 17): the command line on a 100,000-row GBK file with Chinese
headers, and the HTTP endpoint the operator portal sends chunks to, against the real database.

An institution is its credit code: a second load of the same file creates nothing, a changed row updates the
institution and says so in the outbox and the audit trail, as a created one does.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from stdnum.cn import uscc

from contracts.enums import Role
from institutions.adapters.tables import audit_trail, institutions, messaging
from regsys_runtime.auth import Principal

from .test_api import ADMIN, Harness, api, institution_body, topics  # noqa: F401 - the fixtures of the API tests

pytestmark = pytest.mark.integration

HEADER_ZH = ["机构名称", "统一社会信用代码", "执业许可证登记号", "行政区划代码", "机构级别", "地址"]
HEADER_EN = ["name", "credit_code", "licence_number", "region_code", "level", "address"]
ROWS = 100_000
REGIONS = ("110105", "310101", "350100", "440106", "510107")


def credit_code(n: int) -> str:
    body = f"12{REGIONS[n % len(REGIONS)]}{n:09d}"
    return body + uscc.calc_check_digit(body)


def an_institution(n: int) -> list[str]:
    region = REGIONS[n % len(REGIONS)]
    return [f"第{n}号社区卫生服务中心", credit_code(n), f"PDY{n:08d}", region, "一级", f"{region}区健康路{n}号"]


def spoiled(n: int, row: list[str]) -> tuple[list[str], str] | None:
    """Every 9,973rd row broken in one of four ways, and the reason the import must give for it."""
    if n % 9_973:
        return None
    kind = (n // 9_973) % 4
    if kind == 0:
        return [row[0], row[1][:-1] + ("0" if row[1][-1] != "0" else "1"), *row[2:]], "统一社会信用代码：校验位"
    if kind == 1:
        return [*row[:3], "999999", *row[4:]], "行政区划代码：请输入行政区划代码"
    if kind == 2:
        return ["", *row[1:]], "机构名称：请输入机构的登记名称"
    return row[:4], "该行有 4 列，表头有 6 列。"


def write_file(path: Path, rows: int, encoding: str) -> dict[int, str]:
    """The file, and for each spoiled row its line and the start of its reason."""
    expected: dict[int, str] = {}
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER_ZH)
        for n in range(1, rows + 1):
            row = an_institution(n)
            bad = spoiled(n, row)
            if bad:
                row, expected[n + 1] = bad
            out.writerow(row)
    return expected


def run_import(engine: AsyncEngine, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "INSTITUTIONS_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "institutions", "import-institutions", *args],
        env=env, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    return result, time.perf_counter() - started


async def counts(engine: AsyncEngine) -> tuple[int, int, int]:
    """Institutions, InstitutionRecorded events in the outbox, audit entries."""
    outbox = messaging.outbox
    async with engine.connect() as connection:
        loaded = await connection.scalar(select(func.count()).select_from(institutions))
        recorded = await connection.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.event_type == "institutions.institution_recorded")
        )
        audited = await connection.scalar(select(func.count()).select_from(audit_trail))
    return int(loaded or 0), int(recorded or 0), int(audited or 0)


def rejects_in(path: Path) -> dict[int, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["行号", "原因"]
    return {int(line): reason for line, reason in rows[1:]}


@pytest.mark.timeout(1800)  # four runs of the command on 100,000 rows, on a machine shared with others
async def test_a_100k_gbk_file_loads_once_its_rejects_reported_and_a_dry_run_writes_nothing(
    engine: AsyncEngine, tmp_path: Path
):
    path, rejects = tmp_path / "机构.csv", tmp_path / "rejects.csv"
    expected = write_file(path, ROWS, "gbk")
    good = ROWS - len(expected)

    dry, dry_seconds = run_import(engine, str(path), "--dry-run", "--rejects", str(rejects))
    assert dry.returncode == 1, dry.stdout + dry.stderr  # rows would be rejected and --skip-invalid is not given
    assert f"Would import {good} rows; {len(expected)} rejected." in dry.stdout
    assert await counts(engine) == (0, 0, 0)
    assert rejects_in(rejects).keys() == expected.keys()

    refused, _ = run_import(engine, str(path))
    assert refused.returncode == 1 and "nothing imported" in refused.stdout
    assert await counts(engine) == (0, 0, 0)

    loaded, seconds = run_import(engine, str(path), "--skip-invalid", "--rejects", str(rejects))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert f"Imported {good} rows; {len(expected)} rejected." in loaded.stdout
    assert await counts(engine) == (good, good, good)
    reported = rejects_in(rejects)
    assert reported.keys() == expected.keys()
    for line, reason in expected.items():
        assert reported[line].startswith(reason), (line, reported[line])
    assert f"line {min(expected)}: " in loaded.stderr

    again, again_seconds = run_import(engine, str(path), "--skip-invalid")
    assert again.returncode == 0, again.stdout + again.stderr
    assert await counts(engine) == (good, good, good), "the same file again creates, publishes and audits nothing"
    print(
        f"\nimport-institutions, {ROWS:,} GBK rows: dry run {dry_seconds:.1f} s, load {seconds:.1f} s "
        f"({ROWS / seconds:,.0f} rows/s), the same file again {again_seconds:.1f} s"
    )


async def test_an_english_header_in_utf8_with_a_bom_loads_too(engine: AsyncEngine, tmp_path: Path):
    path = tmp_path / "institutions.csv"
    path.write_text(",".join(HEADER_EN[:4]) + "\r\n" + ",".join(an_institution(7)[:4]) + "\r\n", encoding="utf-8-sig")
    result, _ = run_import(engine, str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (await counts(engine))[0] == 1


async def test_a_file_with_an_unknown_column_is_refused_whole(engine: AsyncEngine, tmp_path: Path):
    path = tmp_path / "wrong.csv"
    path.write_text("机构名称,信用代码,登记号,行政区划代码,院长\n", encoding="gb18030")
    result, _ = run_import(engine, str(path))
    assert result.returncode == 2
    assert "无法识别的列：院长" in result.stderr


def chunk(*rows: list[str], header: list[str] = HEADER_ZH) -> str:
    return "\r\n".join(",".join(row) for row in (header, *rows)) + "\r\n"


async def post_chunk(api: Harness, who: Principal, body: str, **params: str | int) -> httpx.Response:  # noqa: F811
    return await api.http.post(
        "/admin/institutions/import", content=body.encode(), params=params,
        headers={**api.token(who), "Content-Type": "text/csv; charset=utf-8"},
    )  # fmt: skip


async def test_a_chunk_names_lines_of_the_whole_file_and_a_changed_row_updates(api: Harness, engine: AsyncEngine):  # noqa: F811
    existing = institution_body(auto_activation=True)
    created = await api.call(ADMIN, "POST", "/admin/institutions", json=existing)
    assert created.status_code == 201, created.text
    moved = [existing["name"], existing["credit_code"], existing["licence_number"], "350100", "二级", "新址路 1 号"]
    bad = [*an_institution(11)[:3], "12345"]
    body = chunk(an_institution(10), [*bad, "", ""], moved)

    dry = await post_chunk(api, ADMIN, body, first_line=5001, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json()["accepted"] == 2 and [r["line"] for r in dry.json()["rejected"]] == [5002]
    assert (await counts(engine))[0] == 1, "a dry run writes nothing"

    answer = await post_chunk(api, ADMIN, body, first_line=5001)
    assert answer.status_code == 200, answer.text
    reason = "行政区划代码：请输入行政区划代码（GB/T 2260），例如北京市朝阳区为 110105。"
    assert answer.json() == {"accepted": 2, "rejected": [{"line": 5002, "reason": reason}]}
    listed = {i["credit_code"]: i for i in (await api.call(ADMIN, "GET", "/institutions")).json()}
    now = listed[existing["credit_code"]]
    assert now["institution_id"] == created.json()["institution_id"]
    assert (now["address"], now["level"]) == ("新址路 1 号", "二级")
    assert now["auto_activation"] is True, "automatic activation is staff's choice: an import leaves it"
    assert credit_code(10) in listed
    trail = await api.call(ADMIN, "GET", "/admin/audit-trail", params={"action": "institution.updated"})
    assert [e["subject_id"] for e in trail.json()] == [now["institution_id"]]
    assert (await counts(engine))[1] == 3, "InstitutionRecorded for the one created, the one changed, and the first"


async def test_the_endpoint_refuses_what_it_cannot_read(api: Harness):  # noqa: F811
    too_many = chunk(*(an_institution(n) for n in range(1, 5_002)))
    assert (await post_chunk(api, ADMIN, too_many)).status_code == 413
    too_big = chunk(["名" * 1_100_000, *an_institution(1)[1:]])
    assert (await post_chunk(api, ADMIN, too_big)).status_code == 413
    empty = await post_chunk(api, ADMIN, "")
    assert empty.status_code == 422 and empty.json()["detail"] == "文件是空的：没有表头行。"
    unknown = await post_chunk(api, ADMIN, chunk(header=[*HEADER_ZH, "院长"]))
    assert unknown.status_code == 422 and "无法识别的列：院长" in unknown.json()["detail"]
    missing = await post_chunk(api, ADMIN, chunk(header=HEADER_ZH[:3]))
    assert "缺少的列：行政区划代码" in missing.json()["detail"]
    as_json = await api.call(ADMIN, "POST", "/admin/institutions/import", json={"rows": []})
    assert as_json.status_code == 415 and as_json.json()["detail"] == "请以 text/csv 格式发送 CSV 文件内容。"
    assert (await post_chunk(api, ADMIN, chunk(), first_line=1)).status_code == 422


async def test_only_an_operator_may_import(api: Harness, engine: AsyncEngine):  # noqa: F811
    body = chunk(an_institution(3))
    for role in (Role.PHYSICIAN, Role.INSTITUTION_STAFF, Role.OFFICER):
        who = Principal(uuid.uuid4(), role, institution_id=uuid.uuid4(), region_code="350100")
        assert (await post_chunk(api, who, body)).status_code == 403, role
    anonymous = await api.http.post(
        "/admin/institutions/import", content=body.encode(), headers={"Content-Type": "text/csv"}
    )
    assert anonymous.status_code == 401
    assert (await counts(engine))[0] == 0
