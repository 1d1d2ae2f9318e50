"""The roster as a CSV file employers keep: a Chinese header row, UTF-8 with a byte-order mark so Excel reads it."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from contracts.labels import label
from institutions.domain.roster import RosterEntry, RosterRole

BOM = "\ufeff"
HEADER = (
    "姓名",
    "身份证号（脱敏）",
    "执业证书编码",
    "执业类别",
    "执业身份",
    "注册状态",
    "开始日期",
    "结束日期",
    "更新时间",
)
ROLE_LABELS = {RosterRole.MAIN: "主要执业机构", RosterRole.MULTI_SITE: "多点执业"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _row(entry: RosterEntry) -> list[str]:
    values = (
        entry.physician_name, entry.id_number_masked, entry.certificate_number, label(entry.category),
        ROLE_LABELS[entry.role], label(entry.registration_status), entry.starts_on, entry.ends_on,
        entry.since.isoformat(timespec="seconds"),
    )  # fmt: skip
    return [_cell(v) for v in values]


def roster_csv(entries: Sequence[RosterEntry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)  # lines end in CRLF, as RFC 4180 and Excel expect
    writer.writerow(HEADER)
    writer.writerows(_row(entry) for entry in entries)
    return (BOM + out.getvalue()).encode("utf-8")
